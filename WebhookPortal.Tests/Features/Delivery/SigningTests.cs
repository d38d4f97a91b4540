extern alias StandardWebhooksLibrary;

using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using LibraryVerificationException = StandardWebhooksLibrary::StandardWebhooks.Diagnostics.WebhookVerificationException;
using LibraryWebhook = StandardWebhooksLibrary::StandardWebhooks.StandardWebhook;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>Standard Webhooks signatures, checked against the specification's published test vector.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class StandardWebhooksTests
{
    [Fact]
    public void Reproduces_the_published_test_vector()
    {
        var signature = StandardWebhooks.Sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Signing_the_sent_bytes_with_the_decoded_key_reproduces_the_published_test_vector()
    {
        Assert.True(StandardWebhooks.TryDecode("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", out var key));

        var signature = StandardWebhooks.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""u8);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"username": "张伟 🎉", "note": "tab\there"}""")]
    [InlineData("lone \uD800 surrogate")]
    [InlineData("large")]
    public void Both_ways_of_signing_give_the_signature_of_id_timestamp_and_body_as_before(string body)
    {
        body = body == "large" ? new string('x', 300_000) + "é" : body;
        var secret = StandardWebhooks.GenerateSecret();
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        // The way it was computed before: the whole message as one string, then its UTF-8 bytes.
        var before = "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            key, System.Text.Encoding.UTF8.GetBytes($"msg_2Lx.{1_796_000_000L}.{body}")));

        Assert.Equal(before, StandardWebhooks.Sign(secret, "msg_2Lx", 1_796_000_000, body));
        Assert.Equal(before, StandardWebhooks.Sign(key, "msg_2Lx", 1_796_000_000, System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Generates_distinct_valid_secrets_of_24_bytes()
    {
        var first = StandardWebhooks.GenerateSecret();
        var second = StandardWebhooks.GenerateSecret();

        Assert.StartsWith("whsec_", first);
        Assert.Equal(24, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.NotEqual(first, second);
        Assert.True(StandardWebhooks.IsValidSecret(first));
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void Refuses_secrets_that_are_not_base64_of_24_to_64_bytes(string secret)
    {
        Assert.False(StandardWebhooks.IsValidSecret(secret));
        Assert.Throws<FormatException>(() => StandardWebhooks.Sign(secret, "msg_1", 1, "{}"));
    }
}

/// <summary>A signed webhook's requests, as a receiver sees them over real HTTP.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SignedDeliveryTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task Signs_id_timestamp_and_body_as_received(string method)
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/signed"), UserAction.Created, method: method);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.SigningSecret, Secret));
        }

        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("signed")));
        var request = await receiver.WaitForRequestToAsync("/signed", TimeSpan.FromSeconds(15));

        var id = request.Header("webhook-id")!;
        var timestamp = long.Parse(request.Header("webhook-timestamp")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(StandardWebhooks.Sign(Secret, id, timestamp, request.Body), request.Header("webhook-signature"));
        // And an implementation that is not ours (the StandardWebhooks NuGet package) agrees.
        new LibraryWebhook(Secret).Verify(request.Body, HeadersOf(request));
    }

    [Fact]
    public async Task Signs_with_the_new_and_the_previous_secret_while_the_rotation_lasts()
    {
        var (current, previous) = (StandardWebhooks.GenerateSecret(), StandardWebhooks.GenerateSecret());
        await UseSignedWebhookAsync("/rotating", current, previous, DateTime.UtcNow.AddHours(24));

        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("rotating")));
        var request = await receiver.WaitForRequestToAsync("/rotating", TimeSpan.FromSeconds(15));

        var id = request.Header("webhook-id")!;
        var timestamp = long.Parse(request.Header("webhook-timestamp")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [StandardWebhooks.Sign(current, id, timestamp, request.Body), StandardWebhooks.Sign(previous, id, timestamp, request.Body)],
            request.Header("webhook-signature")!.Split(' '));
        // A receiver on either secret accepts the message. The package's Verify (1.1.2) compares only the first
        // space-separated entry, so the previous secret's entry is handed to it alone; the spec's own libraries try every entry.
        new LibraryWebhook(current).Verify(request.Body, HeadersOf(request));
        new LibraryWebhook(previous).Verify(request.Body, OnlySignature(request, 1));
    }

    [Fact]
    public async Task Signs_with_the_new_secret_only_once_the_rotation_has_expired()
    {
        var (current, previous) = (StandardWebhooks.GenerateSecret(), StandardWebhooks.GenerateSecret());
        await UseSignedWebhookAsync("/rotated", current, previous, DateTime.UtcNow.AddMinutes(-1));

        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("rotated")));
        var request = await receiver.WaitForRequestToAsync("/rotated", TimeSpan.FromSeconds(15));

        Assert.DoesNotContain(" ", request.Header("webhook-signature"));
        new LibraryWebhook(current).Verify(request.Body, HeadersOf(request));
        Assert.Throws<LibraryVerificationException>(() => new LibraryWebhook(previous).Verify(request.Body, HeadersOf(request)));
    }

    private async Task UseSignedWebhookAsync(string path, string secret, string previous, DateTime previousExpiresAt)
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url(path), UserAction.Created);
        await using var db = await factory.CreateDbContextAsync();
        await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.SigningSecret, secret)
            .SetProperty(w => w.PreviousSigningSecret, previous)
            .SetProperty(w => w.PreviousSigningSecretExpiresAt, previousExpiresAt));
    }

    private static HeaderDictionary HeadersOf(ReceivedRequest request) =>
        new(request.Headers.ToDictionary(h => h.Key, h => new StringValues(h.Value), StringComparer.OrdinalIgnoreCase));

    // The request's headers with only the index-th entry of webhook-signature, for verifiers that read only the first entry.
    private static HeaderDictionary OnlySignature(ReceivedRequest request, int index)
    {
        var headers = HeadersOf(request);
        headers["webhook-signature"] = request.Header("webhook-signature")!.Split(' ')[index];
        return headers;
    }

    [Fact]
    public async Task Sends_no_signature_without_a_secret()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/unsigned"), UserAction.Created);

        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("unsigned")));
        var request = await receiver.WaitForRequestToAsync("/unsigned", TimeSpan.FromSeconds(15));

        Assert.Null(request.Header("webhook-signature"));
    }
}
