extern alias StandardWebhooksLibrary;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;
using LibraryWebhook = StandardWebhooksLibrary::StandardWebhooks.StandardWebhook;

namespace WebhookPortal.Tests.Features.Webhooks;

/// <summary>Webhook secrets in the database are ciphertext; requests are still signed and authorised with the plain values.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SecretsAtRestTests : IAsyncLifetime
{
    private const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Token = "Bearer s3cr3t-t0ken";
    private readonly TempDirectory directory = new();
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task Stores_secrets_encrypted_and_sends_them_decrypted()
    {
        await using var factory = PortalFactory.Create(directory);
        var webhook = await SealedWebhookAsync(factory, "/at-rest");

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("atrest")));
        var request = await receiver.WaitForRequestToAsync("/at-rest", Eventually.DefaultTimeout);

        Assert.Equal(Token, request.Header("Authorization"));
        new LibraryWebhook(SigningSecret).Verify(request.Body, Headers(request));
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == webhook.Id);
        Assert.StartsWith(SecretProtector.Prefix, stored.SigningSecret);
        Assert.StartsWith(SecretProtector.Prefix, stored.RobotSecret);
        Assert.StartsWith(SecretProtector.Prefix, Assert.Single(stored.Headers, h => h.Secret).Value);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        Assert.StartsWith(SecretProtector.Prefix, Assert.Single(delivery.Headers, h => h.Secret).Value);
        // WAL mode: recent writes may still sit in the -wal file, so both are read, as bytes.
        var file = string.Concat(new[] { directory.DatabasePath, directory.DatabasePath + "-wal" }.Where(File.Exists)
            .Select(path => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(path))));
        Assert.DoesNotContain("s3cr3t-t0ken", file, StringComparison.Ordinal);
        Assert.DoesNotContain(SigningSecret, file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_can_still_decrypt_what_was_stored()
    {
        string stored;
        await using (var first = PortalFactory.Create(directory))
        {
            stored = first.Services.GetRequiredService<SecretProtector>().Protect("SECrobot")!;
        }

        await using var second = PortalFactory.Create(directory);

        Assert.Equal("SECrobot", second.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
        // The key lives in the database, shared by every instance on it; nothing is written to the old key folder.
        await using var db = await second.CreateDbContextAsync();
        Assert.True(await db.DataProtectionKeys.AnyAsync(k => k.FriendlyName!.StartsWith("key-")));
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "keys")));
    }

    [Fact]
    public void Editing_never_puts_a_saved_robot_secret_back_into_the_dialog_and_keeps_it_unless_replaced()
    {
        var webhook = new Webhook { Url = "https://oapi.dingtalk.com/robot/send?access_token=t", Target = WebhookTarget.DingTalk, RobotSecret = "dp1:cipher" };

        var model = WebhookModel.From(webhook);
        Assert.Equal("", model.RobotSecret);
        Assert.True(model.HasRobotSecret);

        model.ApplyTo(webhook, DateTime.UtcNow);
        Assert.Equal("dp1:cipher", webhook.RobotSecret);

        model.RobotSecret = "SECnew";
        model.ApplyTo(webhook, DateTime.UtcNow);
        Assert.Equal("SECnew", webhook.RobotSecret);

        model = WebhookModel.From(webhook);
        model.RemoveRobotSecret = true;
        model.ApplyTo(webhook, DateTime.UtcNow);
        Assert.Null(webhook.RobotSecret);
    }

    [Fact]
    public void Editing_never_puts_a_saved_secret_header_value_back_into_the_dialog_and_keeps_it_unless_replaced()
    {
        var webhook = new Webhook { Url = "https://example.com/h", Headers = [new("Authorization", "dp1:cipher", Secret: true), new("X-Plain", "p")] };

        var model = WebhookModel.From(webhook);
        Assert.Equal([new WebhookHeader("Authorization", "", true), new WebhookHeader("X-Plain", "p")], model.Headers);
        Assert.Contains("authorization", model.SavedSecretHeaderNames);

        model.ApplyTo(webhook, DateTime.UtcNow);
        Assert.Equal(new WebhookHeader("Authorization", "dp1:cipher", true), webhook.Headers[0]);

        model.Headers[0] = model.Headers[0] with { Value = "Bearer new" };
        model.ApplyTo(webhook, DateTime.UtcNow);
        Assert.Equal(new WebhookHeader("Authorization", "Bearer new", true), webhook.Headers[0]);
    }

    [Fact]
    public void A_secret_header_value_cannot_be_a_template()
    {
        Assert.Contains("Header Authorization: a secret value cannot use variables.",
            WebhookHeaders.Validate([new("Authorization", "Bearer {{$$.ID$$}}", Secret: true)]));
    }

    private async Task<Webhook> SealedWebhookAsync(PortalFactory factory, string path)
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url(path), UserAction.Created);
        await using var db = await factory.CreateDbContextAsync();
        var row = await db.Webhooks.SingleAsync(w => w.Id == webhook.Id);
        row.SigningSecret = SigningSecret;
        row.RobotSecret = "SECnot-used-for-generic";
        row.Headers = [new("Authorization", Token, Secret: true), new("X-Plain", "visible")];
        // What the page does before saving.
        factory.Services.GetRequiredService<SecretProtector>().Seal(row);
        await db.SaveChangesAsync();
        return row;
    }

    private static HeaderDictionary Headers(ReceivedRequest request) =>
        new(request.Headers.ToDictionary(h => h.Key, h => new StringValues(h.Value), StringComparer.OrdinalIgnoreCase));
}
