using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Inbox;

namespace WebhookPortal.Tests.Components;

/// <summary>The Inbox page (<c>/inbox</c>) on a real SQLite file: counted, paged and filtered messages, each labelled with its event.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class InboxPageTests : PortalDatabaseContext
{
    private const string Filters = ".inbox-filters";
    private const string Message = "[data-testid=inbox-message]";

    public InboxPageTests()
    {
        Services.AddSingleton<InboxFeed>();
        Services.AddOptions<InboxOptions>().Configure(o => o.Enabled = true);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var store = Services.GetRequiredService<InboxStore>();
        var at = new DateTime(2026, 12, 5, 8, 0, 0, DateTimeKind.Utc);
        // Oldest first: 22 created users into "demo", two Send tests into "demo", one login into "other", one plain request.
        for (var i = 0; i < 22; i++)
        {
            await store.AddAsync(Received("demo", "user.created", at.AddMinutes(i)));
        }

        await store.AddAsync(Received("demo", "webhook.test", at.AddMinutes(30)));
        await store.AddAsync(Received("demo", "webhook.test", at.AddMinutes(31)));
        await store.AddAsync(Received("other", "user.login", at.AddMinutes(32)));
        await store.AddAsync(Received("curl", null, at.AddMinutes(33)));
    }

    [Fact]
    public void Counts_the_messages_pages_them_and_labels_each_with_its_event_a_test_as_a_test()
    {
        var cut = RenderWithProviders<InboxPage>();

        cut.WaitForAssertion(() => Assert.Equal(20, cut.FindAll(Message).Count), Timeout);
        Assert.Equal("26 messages", cut.Find("[data-testid=inbox-count]").TextContent.Trim());
        // Newest first: the plain request has no event; then the login, the two tests, the created users.
        Assert.Equal(["", "user.login", "Test message · webhook.test", "Test message · webhook.test", "user.created"], Events(cut).Take(5));
        Assert.NotNull(cut.Find(".mud-pagination"));
    }

    [Fact]
    public async Task Filtering_by_event_keeps_only_those_messages_and_says_how_many_of_all()
    {
        var cut = RenderWithProviders<InboxPage>();
        cut.WaitForAssertion(() => Assert.Equal(20, cut.FindAll(Message).Count), Timeout);

        await cut.SelectAsync(Filters, "Event", "webhook.test");

        cut.WaitForAssertion(() => Assert.Equal(["Test message · webhook.test", "Test message · webhook.test"], Events(cut)), Timeout);
        Assert.Equal("2 of 26 messages", cut.Find("[data-testid=inbox-count]").TextContent.Trim());
    }

    [Fact]
    public async Task Filtering_by_part_of_the_inbox_name_narrows_the_messages()
    {
        var cut = RenderWithProviders<InboxPage>();
        cut.WaitForAssertion(() => Assert.Equal(20, cut.FindAll(Message).Count), Timeout);

        await cut.FillAsync(Filters, "Inbox name", "OTH");

        cut.WaitForAssertion(() => Assert.Equal(["user.login"], Events(cut)), Timeout);
        Assert.Equal("1 of 26 messages", cut.Find("[data-testid=inbox-count]").TextContent.Trim());
    }

    private static List<string> Events(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll(Message).Select(m => m.QuerySelector("[data-testid=inbox-event]")?.TextContent.Trim() ?? "")];

    private static InboxMessage Received(string name, string? eventType, DateTime at) => new()
    {
        Name = name,
        Method = "POST",
        Target = "/inbox/" + name,
        Headers = "Content-Type: application/json; charset=utf-8\n" + (eventType is null ? "" : $"{InboxMessage.EventHeader}: {eventType}\n") + "webhook-id: msg_1\n",
        Body = """{"ok":true}""",
        ReceivedAt = at,
    };
}
