using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Targets;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// The request <see cref="WebhookSender"/> builds for one attempt, before it is sent: the body's bytes and content type, the
/// headers in their order, secrets decrypted, the Standard Webhooks signature over the bytes sent.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WebhookRequestTests : IDisposable
{
    private const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider services;
    private readonly SecretProtector protector;
    private readonly WebhookSender sender;

    public WebhookRequestTests()
    {
        services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        protector = new SecretProtector(new EphemeralDataProtectionProvider());
        sender = new WebhookSender(services.GetRequiredService<IHttpClientFactory>(),
            services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>(), TimeProvider.System,
            Options.Create(new DeliveryOptions()), new DecryptedSecrets(protector));
    }

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task Sends_the_body_as_utf8_json_signed_over_the_bytes_sent()
    {
        var delivery = NewDelivery("""{"username": "张伟 🎉"}""");
        delivery.Webhook = new Webhook { SigningSecret = protector.Protect(SigningSecret) };

        Assert.True(sender.TryBuild(delivery, Now, out var request, out _));
        using var sent = request;

        Assert.Same(HttpMethod.Post, request.Method);
        Assert.Equal(delivery.Url, request.RequestUri!.OriginalString);
        Assert.Equal("application/json; charset=utf-8", Assert.Single(request.Content!.Headers.GetValues("Content-Type")));
        Assert.Equal("utf-8", request.Content.Headers.ContentType!.CharSet);
        var bytes = await request.Content.ReadAsByteArrayAsync();
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(delivery.Body!), bytes);
        Assert.Equal(bytes.Length, request.Content.Headers.ContentLength);
        Assert.Equal(StandardWebhooks.Sign(SigningSecret, delivery.MessageId, Now.ToUnixTimeSeconds(), delivery.Body!),
            Assert.Single(request.Headers.GetValues("webhook-signature")));
    }

    [Fact]
    public void Adds_custom_headers_decrypted_then_the_portal_headers()
    {
        var delivery = NewDelivery("{}");
        delivery.Headers =
        [
            new WebhookHeader("Authorization", protector.Protect("Bearer s3cr3t")!, Secret: true),
            new WebhookHeader("X-Team", "张伟"),
        ];

        Assert.True(sender.TryBuild(delivery, Now, out var request, out _));
        using var sent = request;

        Assert.Equal("Bearer s3cr3t", Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal(
            ["Authorization", "X-Team", .. WebhookSender.Headers(delivery, Now).Select(h => h.Name)],
            request.Headers.Select(h => h.Key));
        foreach (var (name, value) in WebhookSender.Headers(delivery, Now))
        {
            Assert.Equal(value, Assert.Single(request.Headers.GetValues(name)));
        }

        Assert.False(request.Headers.Contains("webhook-signature"));
    }

    [Fact]
    public void Signs_with_both_secrets_while_a_rotation_lasts_and_a_get_without_content()
    {
        var previous = StandardWebhooks.GenerateSecret();
        var delivery = NewDelivery(null);
        delivery.Method = "GET";
        delivery.Webhook = new Webhook
        {
            SigningSecret = protector.Protect(SigningSecret),
            PreviousSigningSecret = protector.Protect(previous),
            PreviousSigningSecretExpiresAt = Now.UtcDateTime.AddHours(1),
        };

        Assert.True(sender.TryBuild(delivery, Now, out var request, out _));
        using var sent = request;

        Assert.Same(HttpMethod.Get, request.Method);
        Assert.Null(request.Content);
        var timestamp = Now.ToUnixTimeSeconds();
        Assert.Equal(
            $"{StandardWebhooks.Sign(SigningSecret, delivery.MessageId, timestamp, "")} {StandardWebhooks.Sign(previous, delivery.MessageId, timestamp, "")}",
            Assert.Single(request.Headers.GetValues("webhook-signature")));
    }

    [Theory]
    [InlineData("post", "http://127.0.0.1/hook")]
    [InlineData("TRACE", "http://127.0.0.1/hook")]
    [InlineData("POST", "ftp://127.0.0.1/hook")]
    [InlineData("POST", "/relative")]
    public void Refuses_a_method_or_url_no_webhook_may_have(string method, string url)
    {
        var delivery = NewDelivery("{}");
        delivery.Method = method;
        delivery.Url = url;

        Assert.False(sender.TryBuild(delivery, Now, out var request, out var refused));

        Assert.Null(request);
        Assert.False(refused.Succeeded);
        Assert.True(refused.Permanent);
    }

    [Fact]
    public void Refuses_secrets_it_cannot_decrypt()
    {
        var delivery = NewDelivery("{}");
        delivery.Webhook = new Webhook { SigningSecret = new SecretProtector(new EphemeralDataProtectionProvider()).Protect(SigningSecret) };

        Assert.False(sender.TryBuild(delivery, Now, out _, out var refused));

        Assert.True(refused.Permanent);
    }

    private static WebhookPortal.Features.Delivery.Delivery NewDelivery(string? body) => new()
    {
        Id = Guid.NewGuid(),
        Target = WebhookTarget.Generic,
        Method = "POST",
        Url = "http://127.0.0.1:5000/hook?a=1",
        Body = body,
        EventType = "user.created",
        Sequence = 42,
    };
}
