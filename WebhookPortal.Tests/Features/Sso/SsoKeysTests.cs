using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>Token keys that outlive a restart and can be shared, and the token endpoint's rate limit.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SsoKeysTests
{
    [Fact]
    public async Task Generated_keys_are_stored_encrypted_and_survive_a_restart()
    {
        using var directory = new TempDirectory();
        string firstKeys;
        await using (var first = PortalFactory.Create(directory))
        {
            firstKeys = await JwksAsync(first);
            await using var db = await first.CreateDbContextAsync();
            var stored = await db.SsoKeys.ToListAsync();
            Assert.Equal(["encryption", "signing"], stored.Select(k => k.Purpose).Order());
            // Data Protection's envelope, not a bare PKCS#8 key (which starts with 0x30 = "M" in base64).
            Assert.All(stored, k => Assert.False(k.ProtectedKey.StartsWith("MI", StringComparison.Ordinal)));
        }

        await using var second = PortalFactory.Create(directory);
        Assert.Equal(firstKeys, await JwksAsync(second));
    }

    [Fact]
    public async Task A_configured_signing_certificate_signs_tokens()
    {
        using var directory = new TempDirectory();
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=WebhookPortal SSO test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(directory.Path, "signing.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "pfx-password"));

        await using var factory = PortalFactory.Create(directory, new Dictionary<string, string?>
        {
            ["Sso:SigningCertificatePath"] = path,
            ["Sso:SigningCertificatePassword"] = "pfx-password",
        });

        using var jwks = JsonDocument.Parse(await JwksAsync(factory));
        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(Convert.ToBase64String(certificate.RawData), key.GetProperty("x5c")[0].GetString());
        await using var db = await factory.CreateDbContextAsync();
        Assert.DoesNotContain(await db.SsoKeys.Select(k => k.Purpose).ToListAsync(), p => p == "signing");
    }

    [Fact]
    public async Task Token_requests_beyond_the_per_client_limit_get_429()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?> { ["Sso:TokenRequestsPerMinute"] = "2" });
        var flow = await SsoFlow.RegisterAsync(factory, "limited");
        var other = await SsoFlow.RegisterAsync(factory, "unlimited");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await flow.TokenAsync(true, "cs_wrong", ("grant_type", "authorization_code"), ("code", "x"))).Status);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
        var third = await flow.TokenAsync(false, "cs_wrong", ("grant_type", "authorization_code"), ("code", "x"));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal("temporarily_unavailable", third.Error);
        // Another client's budget is its own.
        Assert.Equal("invalid_grant", (await other.TokenAsync(false, null, ("grant_type", "authorization_code"), ("code", "x"))).Error);
    }

    [Fact]
    public async Task A_stranger_using_up_a_clients_token_budget_does_not_lock_out_its_own_back_end()
    {
        await using var factory = PortalFactory.CreateOnKestrel(new Dictionary<string, string?> { ["Sso:TokenRequestsPerMinute"] = "2" });
        factory.StartServer();
        var flow = await SsoFlow.RegisterAsync(factory, "shared");
        using var stranger = From(factory, IPAddress.Parse("127.0.0.2"));
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = "x", ["client_id"] = flow.ClientId, ["client_secret"] = "cs_wrong" };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var answer = await stranger.PostAsync("/connect/token", new FormUrlEncodedContent(form));
            answers.Add(answer.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
        // The docked system's back end, on 127.0.0.1, still has its budget.
        Assert.Equal("invalid_grant", (await flow.TokenAsync(false, null, ("grant_type", "authorization_code"), ("code", "x"))).Error);
    }

    /// <summary>A client whose connections leave from <paramref name="local"/> (any 127.0.0.0/8 address reaches the loopback listener).</summary>
    private static HttpClient From(PortalFactory factory, IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = factory.ServerAddress };

    private static async Task<string> JwksAsync(PortalFactory factory)
    {
        using var http = factory.CreateClient();
        return await http.GetStringAsync("/.well-known/jwks");
    }
}
