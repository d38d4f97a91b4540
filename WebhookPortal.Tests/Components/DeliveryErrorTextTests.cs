using Bunit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// A delivery's attempt errors on its page (real SQLite) in the reader's language: stored as codes by the sender, shown in
/// Chinese to a Chinese reader and in English otherwise; errors stored as English text before codes show as stored.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryErrorTextTests : PortalDatabaseContext
{
    // The attempt table's last column; its data-label is translated with the page.
    private const string Attempts = ".mud-table:not(.mud-simple-table) tbody tr td:last-child";
    private Guid id;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var now = DateTime.UtcNow;
        var delivery = new Delivery
        {
            Id = Guid.NewGuid(), ClientId = "demo-client", WebhookName = "Refused hook", EventId = Guid.NewGuid(), Action = UserAction.Created,
            EventType = "user.created", UserId = "u1", UserName = "user01", Url = "http://127.0.0.1:9/hook", CreatedAt = now.AddMinutes(-3),
        };
        // The outcomes WebhookSender makes for a receiver that never answers and for an address the network guard refuses.
        delivery.RecordAttempt(AttemptOutcome.RetryableFailure("Timed out after 15 s.", TimeSpan.FromSeconds(15)), now.AddMinutes(-2));
        delivery.RecordAttempt(AttemptOutcome.RetryableFailure(new CodedMessage(MessageCodes.TimedOut, "15"), TimeSpan.FromSeconds(15)), now.AddMinutes(-1));
        delivery.RecordAttempt(AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.GuardRefused,
            new CodedMessage(MessageCodes.AddressRefused, "127.0.0.1", new CodedMessage(NetworkGuard.WhyNotPublicCode(System.Net.IPAddress.Loopback)!))), TimeSpan.Zero), now);
        delivery.Status = DeliveryStatus.Failed;
        delivery.CompletedAt = now;
        await using var db = await NewDbContextAsync();
        db.Clients.Add(new Client { ClientId = "demo-client", CreatedAt = now });
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        id = delivery.Id;
    }

    [Fact]
    public void A_Chinese_reader_sees_the_timeout_and_the_refusal_in_Chinese_and_an_old_error_as_stored()
    {
        InCulture("zh-CN", () =>
        {
            var cut = RenderPage();

            cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(Attempts).Count), Timeout);
            Assert.Equal(["被网络防护拒绝：127.0.0.1 是环回地址；Webhook 只能访问公网地址。", "15 秒后超时。", "Timed out after 15 s."], Errors(cut));
        });
    }

    [Fact]
    public void An_English_reader_sees_them_in_English()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(Attempts).Count), Timeout);
        Assert.Equal(["Refused by the network guard: 127.0.0.1 is a loopback address; webhooks may only reach public addresses.",
            "Timed out after 15 s.", "Timed out after 15 s."], Errors(cut));
    }

    private IRenderedComponent<MudProviders> RenderPage() =>
        Render<MudProviders>(p => p.AddChildContent<DeliveryPage>(page => page.Add(c => c.Id, id)));

    private static List<string> Errors(IRenderedComponent<MudProviders> cut) => [.. cut.FindAll(Attempts).Select(td => td.TextContent.Trim())];
}
