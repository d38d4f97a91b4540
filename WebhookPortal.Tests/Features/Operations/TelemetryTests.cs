using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Operations;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>
/// What operators see of a running portal: the Prometheus endpoint (off unless configured), one span per delivery attempt,
/// and the instance's name on every log line; with the real dispatcher sending to a receiver on 127.0.0.1.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task The_metrics_endpoint_is_not_served_by_default()
    {
        await using var factory = PortalFactory.Create();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(TelemetryExtensions.MetricsPath);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Once_enabled_the_metrics_endpoint_serves_the_delivery_metrics_without_signing_in()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?> { [TelemetryExtensions.PrometheusSetting] = "true" });
        using var client = factory.CreateClient();
        await factory.UseOnlyWebhookAsync(receiver.Url("/metered"), UserAction.Created);
        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("metered")));
        await receiver.WaitForRequestToAsync("/metered", TimeSpan.FromSeconds(15));

        // The exporter caches its answer briefly, and the attempt is counted once recorded.
        var text = await Eventually.MatchesAsync(
            () => client.GetStringAsync(TelemetryExtensions.MetricsPath),
            t => t.Contains("webhookportal_deliveries_total{", StringComparison.Ordinal) && t.Contains("outcome=\"succeeded\"", StringComparison.Ordinal),
            "a counted successful attempt on /metrics", describe: t => t[..Math.Min(t.Length, 2000)]);

        Assert.Contains("webhookportal_delivery_attempt_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("webhookportal_delivery_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("webhookportal_delivery_oldest_pending_age_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_collector_configured_the_portal_starts_delivers_and_adds_the_http_metrics()
    {
        // A collector that is not there: export fails quietly in the background, the portal goes on.
        var collector = LoopbackReceiver.Reserve();
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            [TelemetryExtensions.OtlpEndpointSetting] = collector.BaseUrl,
            [TelemetryExtensions.PrometheusSetting] = "true",
        });
        using var client = factory.CreateClient();
        // Listening after the portal's tracer (it starts with the host), so this sees each span as the exporter would.
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await factory.UseOnlyWebhookAsync(receiver.Url("/exported/T000/secret-path-token?key=robot-key-123456"), UserAction.Created);
        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("exported")));

        await receiver.WaitForRequestToAsync("/exported/T000/secret-path-token", TimeSpan.FromSeconds(15));
        var sent = await Eventually.MatchesAsync(
            () => Task.FromResult(spans.Where(s => (s.GetTagItem("server.port") as int?) == receiver.Port).ToList()),
            s => s.Count > 0, "the HTTP client span of the delivery");
        Assert.All(sent, s => Assert.Equal(receiver.BaseUrl + "/", s.GetTagItem(UrlRedaction.UrlFullTag)));
        using var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await Eventually.MatchesAsync(
            () => client.GetStringAsync(TelemetryExtensions.MetricsPath),
            t => t.Contains("http_server_request_duration_seconds", StringComparison.Ordinal)
                && t.Contains("http_client_request_duration_seconds", StringComparison.Ordinal),
            "ASP.NET Core's and HttpClient's metrics on /metrics", describe: t => t[..Math.Min(t.Length, 2000)]);
    }

    [Fact]
    public async Task A_delivery_attempt_makes_one_span_naming_delivery_webhook_attempt_status_and_outcome_but_not_the_url()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DeliveryTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var factory = PortalFactory.Create();
        receiver.RespondWith(202);
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/traced?key=robot-key-123456"), UserAction.Created);
        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("traced")));
        await receiver.WaitForRequestToAsync("/traced", TimeSpan.FromSeconds(15));
        var delivery = (await factory.DeliveriesAsync()).Single();
        var id = delivery.Id.ToString();

        // Other tests' hosts share the source; only this delivery's spans count.
        var mine = await Eventually.MatchesAsync(
            () => Task.FromResult(spans.Where(s => (string?)s.GetTagItem(DeliveryTelemetry.DeliveryIdTag) == id).ToList()),
            s => s.Count > 0, "the attempt's span");

        var span = Assert.Single(mine);
        Assert.Equal(DeliveryTelemetry.AttemptSpan, span.OperationName);
        Assert.Equal(webhook.Id, span.GetTagItem(DeliveryTelemetry.WebhookIdTag));
        Assert.Equal(1, span.GetTagItem(DeliveryTelemetry.AttemptTag));
        Assert.Equal(202, span.GetTagItem(DeliveryTelemetry.StatusCodeTag));
        Assert.Equal(DeliveryTelemetry.Succeeded, span.GetTagItem(DeliveryTelemetry.OutcomeTag));
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("traced", StringComparison.Ordinal) == true
            || t.Value?.ToString()?.Contains("robot-key", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Every_log_line_carries_the_instance_name_even_from_the_dispatcher()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?> { [PortalInstance.NameSetting] = "portal-east-1" });
        using var collector = new FakeLoggerProvider();
        factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(collector);
        await factory.UseOnlyWebhookAsync(receiver.Url("/logged"), UserAction.Created);
        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("logged")));

        var record = await Eventually.MatchesAsync(
            () => Task.FromResult(collector.Collector.GetSnapshot().FirstOrDefault(r => r.Category == typeof(DeliveryDispatcher).FullName)),
            r => r is not null, "a line from the dispatcher");

        var scope = Assert.Single(record!.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>(),
            s => s.Any(p => p.Key == InstanceLogScope.Property));
        Assert.Equal("portal-east-1", scope.Single(p => p.Key == InstanceLogScope.Property).Value);
    }
}
