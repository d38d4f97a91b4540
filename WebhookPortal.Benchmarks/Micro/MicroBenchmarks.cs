using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Targets;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Benchmarks.Micro;

/// <summary>
/// The per-delivery CPU work on the hot path: rendering a body when an event is queued, signing an attempt, and the SSRF
/// check made on every new connection.
/// </summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private readonly TemplateValues values = TemplateValues.For(TemplateSamples.Friendly(UserAction.Created), TemplateSamples.ClientId, "Benchmark webhook");
    private readonly string weComText = WebhookPresets.Find("wecom-text")!.Template;
    private readonly string teamsCard = WebhookPresets.Find("teams")!.Template;
    private readonly string secret = StandardWebhooks.GenerateSecret();
    private readonly string messageId = "msg_" + Guid.NewGuid().ToString("N");
    private readonly IPAddress literal = IPAddress.Parse("203.0.113.7");
    private string body = "";
    private NetworkGuard guard = null!;
    private ServiceProvider httpServices = null!;
    private WebhookSender sender = null!;
    private Delivery delivery = null!;
    private SecretProtector protector = null!;
    private DecryptedSecrets decrypted = null!;
    private string storedSecret = "";

    [GlobalSetup]
    public void Setup()
    {
        body = TemplateRenderer.RenderBody(null, values);
        // Loopback is refused by default; the allowed CIDR keeps the resolved path's full check (every address vetted).
        var options = new NetworkOptions { AllowedHosts = ["127.0.0.0/8", "::1/128"] };
        guard = new NetworkGuard(new StaticOptionsMonitor<NetworkOptions>(options), NullLogger<NetworkGuard>.Instance);

        // A delivery as the dispatcher holds it: the default body, an encrypted signing secret and secret custom header.
        httpServices = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        protector = new SecretProtector(new EphemeralDataProtectionProvider());
        decrypted = new DecryptedSecrets(protector);
        storedSecret = protector.Protect(secret)!;
        sender = new WebhookSender(httpServices.GetRequiredService<IHttpClientFactory>(),
            httpServices.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>(), TimeProvider.System,
            Options.Create(new DeliveryOptions()), decrypted);
        delivery = new Delivery
        {
            Id = Guid.NewGuid(),
            Method = "POST",
            Url = "http://127.0.0.1:5000/dispatch",
            Body = body,
            EventType = "user.created",
            Sequence = 7,
            Headers = [new WebhookHeader("Authorization", protector.Protect("Bearer s3cr3t")!, Secret: true)],
            Webhook = new Webhook { SigningSecret = protector.Protect(secret) },
        };
    }

    /// <summary>Releases the HTTP client factory of <see cref="BuildSignedRequest"/>.</summary>
    [GlobalCleanup]
    public void Cleanup() => httpServices.Dispose();

    /// <summary>The default body (every value a JSON string).</summary>
    [Benchmark(Baseline = true)]
    public string RenderDefaultBody() => TemplateRenderer.RenderBody(null, values);

    /// <summary>The WeCom text preset.</summary>
    [Benchmark]
    public string RenderWeComPreset() => TemplateRenderer.RenderBody(weComText, values);

    /// <summary>The Microsoft Teams Adaptive Card preset, the largest.</summary>
    [Benchmark]
    public string RenderTeamsCard() => TemplateRenderer.RenderBody(teamsCard, values);

    /// <summary>A Standard Webhooks <c>webhook-signature</c> over the default body.</summary>
    [Benchmark]
    public string SignStandardWebhooks() => StandardWebhooks.Sign(secret, messageId, 1_796_000_000, body);

    /// <summary>
    /// One attempt's request as <see cref="WebhookSender"/> builds it (secrets from its cache, body encoded, headers,
    /// Standard Webhooks signature), without sending it.
    /// </summary>
    [Benchmark]
    public int BuildSignedRequest()
    {
        sender.TryBuild(delivery, DateTimeOffset.UnixEpoch.AddSeconds(1_796_000_000), out var request, out _);
        using (request)
        {
            return request!.Headers.NonValidated.Count;
        }
    }

    /// <summary>One stored signing secret decrypted by Data Protection, as every attempt did once per secret before the cache.</summary>
    [Benchmark]
    public string? DecryptSecret() => protector.Unprotect(storedSecret);

    /// <summary>The same secret and its HMAC key from the sender's cache.</summary>
    [Benchmark]
    public byte[]? DecryptSecretCached() => decrypted.Signing(storedSecret)!.Key;

    /// <summary>The SSRF verdict on a public IPv4 literal (every forbidden range tried).</summary>
    [Benchmark]
    public string? GuardLiteral() => NetworkGuard.WhyNotPublic(literal);

    /// <summary>The SSRF check of a name: resolve <c>localhost</c> (the OS resolver, no network) and vet every address.</summary>
    [Benchmark]
    public async Task<int> GuardResolveLocalhost() => (await guard.ResolveAsync("localhost", CancellationToken.None)).Length;

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
