using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>
/// Two portal hosts on one SQLite file, as two instances on one database: the Data Protection key ring lives in the
/// database, so what one instance encrypted or signed the other reads, and keys of the old key folder are imported.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly TempDirectory directory = new();
    private readonly List<PortalFactory> hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        directory.Dispose();
    }

    [Fact]
    public async Task A_signing_secret_saved_through_one_instance_is_read_and_signs_on_the_other()
    {
        var (first, second) = (Host("portal-a"), Host("portal-b"));
        await using var receiver = await LoopbackReceiver.StartAsync();
        // Saved as the Webhooks page saves it: the first instance encrypts the secret with its key ring.
        var clientKey = (await first.UseOnlyWebhookAsync(receiver.Url("/placeholder"), UserAction.Deleted)).ClientKey;
        var saved = await first.Services.GetRequiredService<WebhookAdministration>().CreateAsync(clientKey, new WebhookModel
        {
            Name = "Shared",
            Actions = [UserAction.Created],
            Url = receiver.Url("/shared"),
            NewSigningSecret = Secret,
        }, AuditActor.System);
        Assert.True(saved.Succeeded, saved.Error);
        var stored = saved.Webhook!.SigningSecret;
        Assert.True(SecretProtector.IsProtected(stored));

        Assert.Equal(Secret, second.Services.GetRequiredService<SecretProtector>().Unprotect(stored));

        // Only the second instance's dispatcher is left to send, so it decrypts the secret to sign.
        await first.Services.GetRequiredService<DeliveryDispatcher>().StopAsync(CancellationToken.None);
        await first.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("shared")));
        var request = await receiver.WaitForRequestToAsync("/shared", TimeSpan.FromSeconds(15));

        var id = request.Header("webhook-id")!;
        var timestamp = long.Parse(request.Header("webhook-timestamp")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(StandardWebhooks.Sign(Secret, id, timestamp, request.Body), request.Header("webhook-signature"));
    }

    [Fact]
    public async Task A_sign_in_cookie_issued_by_one_instance_is_accepted_by_the_other()
    {
        var (first, second) = (Host("portal-a"), Host("portal-b"));
        using var account = AccountClient.For(first);
        using var login = await account.PostLoginAsync(PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        Assert.True(AccountClient.SetsCookie(login, AccountClient.AuthCookie));
        var cookies = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var other = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/Account/Manage");
        signedIn.Headers.Add("Cookie", cookies);
        using var answer = await other.SendAsync(signedIn);
        using var anonymous = await other.GetAsync("/Account/Manage");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Profile", await answer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task Single_sign_on_keys_generated_by_one_instance_are_decrypted_and_published_by_the_other()
    {
        var (first, second) = (Host("portal-a"), Host("portal-b"));
        using var one = first.CreateClient();
        using var other = second.CreateClient();

        // The first request generates the token keys and stores them encrypted; the second instance must decrypt them.
        var published = await one.GetStringAsync("/.well-known/jwks");

        Assert.Equal(published, await other.GetStringAsync("/.well-known/jwks"));
    }

    [Fact]
    public async Task Keys_of_the_old_key_folder_are_imported_once_so_secrets_saved_before_the_upgrade_stay_readable()
    {
        // What an earlier version did: keys in "keys" beside the database, under the same application name.
        var folder = new DirectoryInfo(Path.Combine(directory.Path, "keys"));
        var before = DataProtectionProvider.Create(folder, b => b.SetApplicationName(DataExtensions.ApplicationName));
        var stored = new SecretProtector(before).Protect(Secret)!;
        var files = folder.GetFiles("key-*.xml").Select(f => Path.GetFileNameWithoutExtension(f.Name)).ToList();
        Assert.Single(files);

        // Two instances starting at the same moment: only one copies the key (a key ring holding one key twice is refused whole).
        var starts = await Task.WhenAll(Task.Run(() => Host("portal-a", importOldFolder: true)), Task.Run(() => Host("portal-b", importOldFolder: true)));
        Assert.All(starts, host => Assert.Equal(Secret, host.Services.GetRequiredService<SecretProtector>().Unprotect(stored)));
        foreach (var started in starts)
        {
            await started.DisposeAsync();
            hosts.Remove(started);
        }

        // A restart finds it imported and copies nothing again.
        var second = Host("portal-c", importOldFolder: true);
        Assert.Equal(Secret, second.Services.GetRequiredService<SecretProtector>().Unprotect(stored));

        await using var db = await second.CreateDbContextAsync();
        var names = await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
        Assert.Equal(files, names.Where(n => n!.StartsWith("key-", StringComparison.Ordinal)));
        Assert.True(folder.Exists, "The old folder is left as it was.");
    }

    // Each instance gets a key folder of its own, as on separate machines, so only the database can share the keys;
    // importOldFolder leaves the default folder beside the database, which the import test fills.
    private PortalFactory Host(string instance, bool importOldFolder = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Portal:InstanceName"] = instance,
            ["Webhooks:Delivery:InstanceId"] = instance,
        };
        if (!importOldFolder)
        {
            settings["DataProtection:KeysPath"] = Path.Combine(directory.Path, "keys-" + instance);
        }

        var host = PortalFactory.Create(directory, settings);
        lock (hosts)
        {
            hosts.Add(host);
        }

        _ = host.Services;
        return host;
    }
}
