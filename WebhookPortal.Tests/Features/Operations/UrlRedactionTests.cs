using System.Diagnostics;
using WebhookPortal.Features.Operations;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>What <see cref="UrlRedaction"/> leaves of the URLs on spans before an exporter reads them.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class UrlRedactionTests
{
    // Tags by their OpenTelemetry semantic-convention names (what the HTTP instrumentations write), not the processor's own
    // constants, so a misspelt constant fails here instead of redacting nothing.
    [Fact]
    public void An_outgoing_request_keeps_only_scheme_host_and_port_so_path_tokens_and_robot_keys_never_leave()
    {
        using var span = Start(ActivityKind.Client);
        span.SetTag("url.full", "https://user:pw@hooks.slack.com:8443/services/T000/B000/XXXXsecret?key=robot-key#frag");
        span.SetTag("url.query", "key=robot-key");

        new UrlRedaction().OnEnd(span);

        Assert.Equal("https://hooks.slack.com:8443/", span.GetTagItem("url.full"));
        Assert.Null(span.GetTagItem("url.query"));
    }

    [Fact]
    public void An_incoming_request_keeps_its_path_but_not_its_query()
    {
        using var span = Start(ActivityKind.Server);
        span.SetTag("url.full", "http://portal.example/connect/authorize?client_id=crm&code_challenge=abc");

        new UrlRedaction().OnEnd(span);

        Assert.Equal("http://portal.example/connect/authorize", span.GetTagItem("url.full"));
    }

    [Fact]
    public void A_url_that_does_not_parse_is_dropped_rather_than_kept()
    {
        Assert.Equal("", UrlRedaction.Redact("not a url ?key=secret", keepPath: true));
    }

    // An activity's kind is set by its source, which makes activities only while someone listens.
    private static Activity Start(ActivityKind kind)
    {
        using var source = new ActivitySource("WebhookPortal.Tests.UrlRedaction");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return source.StartActivity("request", kind)!;
    }
}
