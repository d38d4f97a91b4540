using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>
/// A whole single sign-on exchange logged at Debug (the portal's and OpenIddict's own logging): the client secret, the
/// code and the tokens appear in no log line. (OpenIddict's Information line for a token request shows the PKCE verifier
/// beside the redacted code; the code is spent by then, so the verifier opens nothing. The portal's settings log
/// OpenIddict from Warning up.)
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SsoSecretsNeverLoggedTests
{
    [Fact]
    public async Task No_client_secret_code_or_token_reaches_the_logs()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:OpenIddict"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        });
        var flow = await SsoFlow.RegisterAsync(factory, "logged");
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("logs")), "User-Passw0rd!");
        using var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();

        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, "User-Passw0rd!"));
        var tokens = (await flow.RedeemAsync(redirect["code"], attempt)).Ok();
        var refreshed = (await flow.RefreshAsync(tokens.RefreshToken)).Ok();
        await flow.UserInfoAsync(refreshed.AccessToken);
        await flow.PostAsync("/connect/introspect", ("token", refreshed.AccessToken));
        await flow.PostAsync("/connect/revoke", ("token", refreshed.RefreshToken));
        await flow.TokenAsync(true, "cs_wrong-secret-value", ("grant_type", "refresh_token"), ("refresh_token", refreshed.RefreshToken));

        var logs = factory.Logs.Lines;
        Assert.Contains(logs, line => line.Contains("OpenIddict", StringComparison.Ordinal));
        foreach (var secret in new[]
        {
            flow.Secret!, "cs_wrong-secret-value", redirect["code"], tokens.AccessToken, tokens.RefreshToken,
            tokens.IdToken, refreshed.AccessToken, refreshed.RefreshToken,
        })
        {
            var leak = logs.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"Logged: {leak}");
        }
    }
}
