using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using WebhookPortal.Features.Clients;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Tests.Components;

/// <summary>The single sign-on parts of the Docking Portal: Create Client, the secret, Edit Client and the Single sign-on card, on a real SQLite file.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ClientDialogsTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        db.Clients.Add(new Client { ClientId = "demo-client", Description = "The demo", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_bad_redirect_uri_is_refused_under_its_field_naming_the_uri()
    {
        var cut = RenderWithProviders<ClientsPage>();
        cut.WaitForAssertion(() => Assert.Contains("demo-client", cut.Markup), Timeout);

        var creating = await cut.ClickAsync(null, "Create Client");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Client ID", "crm-sync");
        await cut.FillAsync(Dialog, "Redirect URIs", "https://crm.example.com/cb\nhttp://crm.example.com/cb#x");
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains("http://crm.example.com/cb#x must not contain a fragment (#…).", cut.Find(Dialog).TextContent), Timeout);
        Assert.False(creating.IsCompleted);
        await using var db = await NewDbContextAsync();
        Assert.False(await db.Clients.AnyAsync(c => c.ClientId == "crm-sync"));
    }

    [Fact]
    public async Task The_display_name_follows_the_client_id_and_a_public_client_is_saved_without_secret()
    {
        var cut = RenderWithProviders<ClientsPage>();
        cut.WaitForAssertion(() => Assert.Contains("demo-client", cut.Markup), Timeout);

        var creating = await cut.ClickAsync(null, "Create Client");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Client ID", "spa-app");
        Assert.Equal("spa-app", cut.Find(Dialog).ByLabel("Display name").GetAttribute("value"));
        await cut.InvokeAsync(() => cut.Find(Dialog).ByLabel("Public: for a browser or mobile app; PKCE required").ClickAsync(new MouseEventArgs()));
        await cut.FillAsync(Dialog, "Redirect URIs", "http://localhost:5173/callback");
        await cut.ClickAsync(Dialog, "OK");
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Client spa-app created", Toasts(cut)), Timeout);
        Assert.Empty(cut.FindAll(Dialog));
        var saved = (await Services.GetRequiredService<ClientAdministration>().FindAsync("spa-app"))!;
        Assert.Equal(("spa-app", ClientType.Public), (saved.DisplayName, saved.Type));
        Assert.Equal(["http://localhost:5173/callback"], saved.RedirectUris);
        cut.WaitForAssertion(() => Assert.Contains("Public", cut.FindAll("tbody tr").Single(r => r.TextContent.Contains("spa-app", StringComparison.Ordinal)).TextContent), Timeout);
    }

    [Fact]
    public async Task The_secret_dialog_shows_the_secret_once_with_a_copy_button()
    {
        var provider = RenderProviders();

        var showing = provider.InvokeAsync(() => ShowClientSecretDialog.ShowAsync(Dialogs, "crm", "cs_example-secret"));

        provider.WaitForAssertion(() => Assert.Contains("Copy it now: it will not be shown again.", provider.Find(Dialog).TextContent), Timeout);
        Assert.Equal("cs_example-secret", provider.Find(Dialog).ByLabel("Client secret").GetAttribute("value"));
        Assert.True(provider.Find(Dialog).ByLabel("Client secret").HasAttribute("readonly"));
        await provider.ClickAsync(Dialog, "Copy Client secret");
        Assert.Equal("cs_example-secret", JSInterop.Invocations["navigator.clipboard.writeText"].Single().Arguments.Single());
        provider.WaitForAssertion(() => Assert.Contains("Client secret copied", Toasts(provider)), Timeout);
        Assert.False(showing.IsCompleted);

        await provider.ClickAsync(Dialog, "Done");
        await showing.WaitAsync(Timeout);
    }

    [Fact]
    public void The_single_sign_on_card_shows_the_addresses_to_copy_and_the_empty_redirect_uris()
    {
        var cut = RenderClientPage();

        var card = cut.Find(".sso-card");
        foreach (var address in new[] { "demo-client", "http://localhost/", "http://localhost/.well-known/openid-configuration",
            "http://localhost/connect/authorize", "http://localhost/connect/token", "http://localhost/connect/userinfo", "http://localhost/connect/endsession" })
        {
            Assert.Contains(card.QuerySelectorAll("code.sso-value"), c => c.TextContent == address);
        }

        Assert.Single(card.QuerySelectorAll("button[aria-label='Copy Token endpoint']"));
        Assert.Contains("No redirect URIs yet: add the address the docked system receives the sign-in at.", card.TextContent);
        Assert.Equal("sso/test-sign-in?client_id=demo-client", card.QuerySelectorAll("a").Single(a => a.TextContent.Contains("Test sign-in", StringComparison.Ordinal)).GetAttribute("href"));
    }

    [Fact]
    public async Task Edit_client_keeps_the_client_id_and_saves_the_display_name_and_uris()
    {
        var cut = RenderClientPage();

        var editing = await cut.ClickAsync(null, "Edit");
        cut.WaitForElement(Dialog, Timeout);
        var clientId = cut.Find(Dialog).ByLabel("Client ID");
        Assert.Equal("demo-client", clientId.GetAttribute("value"));
        Assert.True(clientId.HasAttribute("disabled") || clientId.HasAttribute("readonly"));
        await cut.FillAsync(Dialog, "Display name", "Demo portal");
        await cut.FillAsync(Dialog, "Redirect URIs", "https://demo.example.com/signin-oidc\nhttps://demo.example.com/signin-oidc");
        await cut.ClickAsync(Dialog, "Save");
        cut.WaitForAssertion(() => Assert.Contains("https://demo.example.com/signin-oidc is listed more than once.", cut.Find(Dialog).TextContent), Timeout);

        await cut.FillAsync(Dialog, "Redirect URIs", "https://demo.example.com/signin-oidc");
        await cut.ClickAsync(Dialog, "Save");
        await editing.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Client demo-client saved", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(".sso-card code.sso-value"), c => c.TextContent == "https://demo.example.com/signin-oidc"), Timeout);
        var saved = (await Services.GetRequiredService<ClientAdministration>().FindAsync("demo-client"))!;
        Assert.Equal(("demo-client", "Demo portal", "The demo"), (saved.ClientId, saved.DisplayName, saved.Description));
    }

    [Fact]
    public async Task Rotate_secret_asks_first_then_shows_a_secret_the_application_accepts()
    {
        var cut = RenderClientPage();

        var rotating = await cut.ClickAsync(".sso-card", "Rotate secret");
        cut.WaitForAssertion(() => Assert.Contains("The current secret stops working at once", cut.Find(Dialog).TextContent), Timeout);
        await cut.ClickAsync(Dialog, "Rotate secret");
        cut.WaitForAssertion(() => Assert.Contains("Copy it now: it will not be shown again.", cut.Find(Dialog).TextContent), Timeout);
        var secret = cut.Find(Dialog).ByLabel("Client secret").GetAttribute("value")!;
        await cut.ClickAsync(Dialog, "Done");
        await rotating.WaitAsync(Timeout);

        Assert.StartsWith("cs_", secret);
        await using var scope = Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = (await manager.FindByClientIdAsync("demo-client"))!;
        Assert.True(await manager.ValidateClientSecretAsync(application, secret));
        Assert.True(await manager.HasClientTypeAsync(application, ClientTypes.Confidential));
    }

    [Fact]
    public async Task The_delete_confirmation_says_sign_ins_stop_and_tokens_are_revoked()
    {
        var cut = RenderWithProviders<ClientsPage>();
        cut.WaitForAssertion(() => Assert.Contains("demo-client", cut.Markup), Timeout);

        var deleting = await cut.ClickAsync(null, "Delete client demo-client");
        cut.WaitForAssertion(() => Assert.Contains("Sign-ins through the client stop and its tokens are revoked.", cut.Find(Dialog).TextContent), Timeout);
        await cut.ClickAsync(Dialog, "Cancel");
        await deleting.WaitAsync(Timeout);
    }

    private IRenderedComponent<MudProviders> RenderClientPage()
    {
        var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));
        cut.WaitForElement(".sso-card", Timeout);
        return cut;
    }
}
