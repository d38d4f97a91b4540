using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Webhooks;

/// <summary>
/// A whole life of signed, robot-signed and token-carrying webhooks — delivered, failed, refused by the network guard — logged
/// at Debug, and not one secret or robot URL token in any log line or structured property.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SecretsNeverLoggedTests : IAsyncLifetime
{
    private const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string RobotSecret = "SECrobot-0123456789abcdef";
    private const string HeaderToken = "tok-9f8e7d6c5b4a";
    private const string UrlKey = "693a91f6-7000-4bc4-97a0-0ec25bfa5aaa";

    private readonly PortalFactory factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:WebhookPortal"] = "Debug",
    });

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task No_secret_or_url_token_reaches_the_logs()
    {
        receiver.RespondWith(request => request.Path.EndsWith("fail", StringComparison.Ordinal)
            ? new ReceiverResponse(500, "boom " + request.Header("Authorization"))
            : new ReceiverResponse(200, """{"errcode":0,"errmsg":"ok"}"""));
        var ok = await factory.UseOnlyWebhookAsync(receiver.Url($"/cgi-bin/webhook/send?key={UrlKey}"), UserAction.Created, name: "Robot");
        var failing = await factory.AddWebhookAsync(receiver.Url($"/fail?access_token={UrlKey}"), UserAction.Created, name: "Failing");
        await using (var db = await factory.CreateDbContextAsync())
        {
            var protector = factory.Services.GetRequiredService<SecretProtector>();
            foreach (var webhook in await db.Webhooks.Where(w => w.Id == ok.Id || w.Id == failing.Id).ToListAsync())
            {
                webhook.Target = WebhookTarget.DingTalk;
                webhook.SigningSecret = SigningSecret;
                webhook.RobotSecret = RobotSecret;
                webhook.Headers = [new("Authorization", "Bearer " + HeaderToken, Secret: true)];
                protector.Seal(webhook);
            }

            await db.SaveChangesAsync();
        }

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("logs")));
        await Eventually.MatchesAsync(
            () => factory.DeliveriesForUserAsync(user.Id),
            list => list.Count == 2 && list.All(d => d.AttemptCount > 0),
            "both webhooks attempted", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
        // A refusal by the network guard is logged too (private networks are allowed in Development, so name one outside).
        var guard = new NetworkGuard(new StaticOptionsMonitor<NetworkOptions>(new NetworkOptions()),
            factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<NetworkGuard>>());
        await Assert.ThrowsAsync<NetworkGuardException>(() => guard.ResolveAsync("127.0.0.1", CancellationToken.None));

        Assert.Equal("Bearer " + HeaderToken, receiver.RequestsTo("/cgi-bin/webhook/send")[0].Header("Authorization"));
        var logs = factory.Logs.Lines;
        Assert.NotEmpty(logs);
        foreach (var secret in new[] { SigningSecret, SigningSecret["whsec_".Length..], RobotSecret, HeaderToken, UrlKey })
        {
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
