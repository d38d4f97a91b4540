using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Components;

/// <summary>The API tokens page (<c>/api-tokens</c>) on a real SQLite file: create (shown once, stored hashed), revoke with confirmation.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ApiTokensPageTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";

    private readonly string userId = Guid.NewGuid().ToString();

    public ApiTokensPageTests()
    {
        Services.AddSingleton<ApiTokens>();
        var authorization = AddAuthorization();
        authorization.SetAuthorized("admin");
        authorization.SetRoles(AdminOptions.Role);
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        var admin = new PortalUser { Id = userId, UserName = "admin", Email = "admin@example.com" };
        Assert.True((await scope.ServiceProvider.GetRequiredService<PortalUserManager>().CreateAsync(admin, "Str0ng!pass")).Succeeded);
    }

    [Fact]
    public async Task Creating_a_token_shows_it_once_and_stores_only_its_hash()
    {
        var cut = RenderWithProviders<ApiTokensPage>();

        var creating = await cut.ClickAsync(null, "Create API token");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Name", "Deploy script");
        await cut.ClickAsync(Dialog, "OK");
        await creating.WaitAsync(Timeout);

        var field = cut.WaitForElement(".new-api-token textarea", Timeout);
        var token = field.GetAttribute("value")!;
        Assert.StartsWith(ApiTokens.Prefix, token);
        Assert.True(field.HasAttribute("readonly"));
        Assert.Contains("Copy it now: it will not be shown again.", cut.Find(".mud-alert").TextContent);
        await cut.ClickAsync(null, "Copy New API token");
        Assert.Equal(token, JSInterop.Invocations["navigator.clipboard.writeText"].Single().Arguments.Single());
        cut.WaitForAssertion(() => Assert.Contains("Deploy script", cut.Find(".mud-table").TextContent), Timeout);
        await using var db = await NewDbContextAsync();
        var stored = await db.ApiTokens.SingleAsync();
        Assert.Equal(ApiTokens.HashOf(token), stored.Hash);
        Assert.Equal(userId, stored.UserId);
        Assert.NotNull(stored.ExpiresAt);
        Assert.Contains(stored.Hint, cut.Find(".mud-table").TextContent);
        Assert.DoesNotContain(token, cut.Find(".mud-table").TextContent);
    }

    [Fact]
    public async Task A_token_without_a_name_is_refused_in_the_dialog()
    {
        var cut = RenderWithProviders<ApiTokensPage>();

        await cut.ClickAsync(null, "Create API token");
        cut.WaitForElement(Dialog, Timeout);
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains("Name is required.", cut.Find(Dialog).TextContent), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.False(await db.ApiTokens.AnyAsync());
    }

    [Fact]
    public async Task Confirmed_revoke_marks_the_token_revoked()
    {
        await Services.GetRequiredService<ApiTokens>().CreateAsync(userId, new ApiTokenModel { Name = "Old script" }, AuditActor.System);
        var cut = RenderWithProviders<ApiTokensPage>();

        var revoking = await cut.ClickAsync(null, "Revoke API token Old script");
        cut.WaitForElement(Dialog, Timeout);
        await cut.ClickAsync(Dialog, "Revoke");
        await revoking.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Revoked", cut.Find(".mud-table").TextContent), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.NotNull((await db.ApiTokens.SingleAsync()).RevokedAt);
    }
}
