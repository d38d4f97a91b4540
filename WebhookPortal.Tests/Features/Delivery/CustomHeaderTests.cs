using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>A webhook's custom headers as a receiver gets them over real HTTP: rendered, UTF-8, never the portal's own.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class CustomHeaderTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Sends_header_values_with_their_variables_rendered_and_cjk_text_as_utf8()
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/headers"), UserAction.Created);
        await SetHeadersAsync(webhook.Id, new("X-User", "{{$$.Name$$}}"), new("X-First-Name", "{{$$.FirstName$$}} 你好"), new("Authorization", "Bearer t0k", Secret: true));
        var userName = PortalData.UniqueName("headers");

        await factory.CreateUserAsync(PortalData.NewUser(userName, firstName: "张伟"));
        var request = await receiver.WaitForRequestToAsync("/headers", Eventually.DefaultTimeout);

        Assert.Equal(userName, request.Header("X-User"));
        Assert.Equal("张伟 你好", request.Header("X-First-Name"));
        Assert.Equal("Bearer t0k", request.Header("Authorization"));
    }

    [Fact]
    public async Task A_line_break_in_a_rendered_header_fails_that_delivery_with_the_reason_and_spares_other_webhooks()
    {
        // User names cannot hold a line break (Identity allows letters, digits and -._@+), so the first name carries it.
        var withHeader = await factory.UseOnlyWebhookAsync(receiver.Url("/with-header"), UserAction.Created, name: "With header");
        await SetHeadersAsync(withHeader.Id, new WebhookHeader("X-First-Name", "{{$$.FirstName$$}}"));
        await factory.AddWebhookAsync(receiver.Url("/plain"), UserAction.Created, name: "Plain");

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("newline"), firstName: "Evil\r\nX-Injected: 1"));

        var deliveries = await Eventually.MatchesAsync(
            () => factory.DeliveriesForUserAsync(user.Id),
            list => list.Count == 2 && list.All(d => d.Status != DeliveryStatus.Pending),
            "both deliveries finished", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
        var failed = Assert.Single(deliveries, d => d.WebhookId == withHeader.Id);
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal(0, failed.AttemptCount);
        Assert.StartsWith("Template error:", MessageText.English(failed.LastError));
        Assert.Contains("header", MessageText.English(failed.LastError), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(DeliveryStatus.Succeeded, Assert.Single(deliveries, d => d.WebhookId != withHeader.Id).Status);
        Assert.Empty(receiver.RequestsTo("/with-header"));
        Assert.DoesNotContain(receiver.Requests, r => r.Header("X-Injected") is not null);
    }

    [Fact]
    public async Task Reserved_names_are_refused_when_saved_and_never_replace_the_portals_own_headers()
    {
        Assert.NotEmpty(WebhookHeaders.Validate([new("webhook-id", "msg_forged")]));
        Assert.NotEmpty(WebhookHeaders.Validate([new("Webhook-Signature", "v1,forged")]));
        // Stored past validation (an old row, a hand edit): the sender still leaves them out.
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/reserved"), UserAction.Created);
        await SetHeadersAsync(webhook.Id,
            new("webhook-id", "msg_forged"), new("Webhook-Signature", "v1,forged"), new("X-Webhook-Event", "forged"), new("X-Kept", "yes"));

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("reserved")));
        var request = await receiver.WaitForRequestToAsync("/reserved", Eventually.DefaultTimeout);

        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        Assert.Equal(delivery.MessageId, request.Header("webhook-id"));
        Assert.Null(request.Header("webhook-signature"));
        Assert.Equal("user.created", request.Header("X-Webhook-Event"));
        Assert.Equal("yes", request.Header("X-Kept"));
    }

    private async Task SetHeadersAsync(int webhookId, params WebhookHeader[] headers)
    {
        await using var db = await factory.CreateDbContextAsync();
        var webhook = await db.Webhooks.SingleAsync(w => w.Id == webhookId);
        webhook.Headers = [.. headers];
        await db.SaveChangesAsync();
    }
}
