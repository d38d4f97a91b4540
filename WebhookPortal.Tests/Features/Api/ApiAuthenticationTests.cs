using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>Who may call the API: administrators with a valid token or a sign-in cookie; everyone else gets a problem, never a redirect.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ApiAuthenticationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Endpoint = "/api/v1/clients";

    [Fact]
    public async Task Answers_401_problem_without_a_token_instead_of_redirecting_to_sign_in()
    {
        using var api = ApiClient.WithToken(factory, null);

        var response = (await api.GetAsync(Endpoint)).IsProblem(HttpStatusCode.Unauthorized);

        Assert.Equal("Bearer", response.Headers["WWW-Authenticate"]);
        Assert.False(response.Headers.ContainsKey("Location"));
    }

    [Fact]
    public async Task Answers_401_for_an_unknown_token()
    {
        using var api = ApiClient.WithToken(factory, ApiTokens.Prefix + "not-a-real-token");

        var response = (await api.GetAsync(Endpoint)).IsProblem(HttpStatusCode.Unauthorized);

        Assert.Contains("invalid_token", response.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task Answers_401_for_an_expired_token()
    {
        var token = await ApiClient.CreateTokenAsync(factory, expiresInDays: 1);
        using var api = ApiClient.WithToken(factory, token);
        (await api.GetAsync(Endpoint)).Is(HttpStatusCode.OK);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var hash = ApiTokens.HashOf(token);
            await db.ApiTokens.Where(t => t.Hash == hash).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        (await api.GetAsync(Endpoint)).IsProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Answers_401_for_a_revoked_token_and_records_its_last_use()
    {
        var token = await ApiClient.CreateTokenAsync(factory);
        using var api = ApiClient.WithToken(factory, token);
        (await api.GetAsync(Endpoint)).Is(HttpStatusCode.OK);
        var tokens = factory.Services.GetRequiredService<ApiTokens>();
        var stored = await FindAsync(token);
        Assert.NotNull(stored.LastUsedAt);

        Assert.True(await tokens.RevokeAsync(stored.UserId, stored.Id, AuditActor.System));

        (await api.GetAsync(Endpoint)).IsProblem(HttpStatusCode.Unauthorized);
        Assert.False(await tokens.RevokeAsync(stored.UserId, stored.Id, AuditActor.System));
    }

    [Fact]
    public async Task Stores_only_the_hash_of_a_token()
    {
        var token = await ApiClient.CreateTokenAsync(factory);

        var stored = await FindAsync(token);

        Assert.StartsWith("wp_", token);
        Assert.Equal(3 + 43, token.Length);
        Assert.Equal(64, stored.Hash.Length);
        Assert.DoesNotContain(token[7..], stored.Hash + stored.Hint + stored.Name);
    }

    [Fact]
    public async Task Answers_403_problem_to_a_signed_in_non_administrator()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("plain")));
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, "User-Passw0rd!");

        using var response = await browser.Http.GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Answers_403_to_a_non_administrators_token()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("plaintoken")));
        using var api = ApiClient.WithToken(factory, await ApiClient.CreateTokenAsync(factory, user.UserName!));

        (await api.GetAsync(Endpoint)).IsProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Accepts_an_administrators_sign_in_cookie()
    {
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(PortalFactory.AdminEmail, PortalFactory.AdminPassword);

        using var response = await browser.Http.GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<ApiToken> FindAsync(string token)
    {
        await using var db = await factory.CreateDbContextAsync();
        var hash = ApiTokens.HashOf(token);
        return await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Hash == hash);
    }
}
