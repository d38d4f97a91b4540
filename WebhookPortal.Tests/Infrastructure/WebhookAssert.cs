using System.Globalization;
using System.Text.Json;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>Checks on what a receiver got from the portal.</summary>
public static class WebhookAssert
{
    /// <summary>
    /// The headers DESIGN §4 puts on every request: <c>webhook-id</c> (<c>msg_</c> + 32 hex, the delivery's id),
    /// <c>webhook-timestamp</c> (Unix seconds, within a minute of now), <c>X-Webhook-Event</c>, <c>User-Agent</c>, and
    /// <c>Content-Type</c> exactly when there is a body.
    /// </summary>
    public static void HasStandardHeaders(ReceivedRequest request, Delivery delivery, string eventType, bool withBody)
    {
        var id = request.Header("webhook-id");
        Assert.NotNull(id);
        Assert.Matches("^msg_[0-9a-f]{32}$", id);
        Assert.Equal(delivery.MessageId, id);

        var timestamp = request.Header("webhook-timestamp");
        Assert.NotNull(timestamp);
        Assert.Matches("^[0-9]+$", timestamp);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), now - 60, now + 60);

        Assert.Equal(delivery.Sequence.ToString(CultureInfo.InvariantCulture), request.Header("webhook-sequence"));
        Assert.Equal(eventType, request.Header("X-Webhook-Event"));
        Assert.StartsWith("WebhookPortal/", request.Header("User-Agent"));

        if (withBody)
        {
            Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        }
        else
        {
            Assert.Null(request.Header("Content-Type"));
            Assert.Equal("", request.Body);
        }
    }

    /// <summary>The id of the delivery a request belongs to, from its <c>webhook-id</c>.</summary>
    public static Guid DeliveryId(ReceivedRequest request)
    {
        var id = request.Header("webhook-id") ?? throw new Xunit.Sdk.XunitException($"{request} has no webhook-id header.");
        return Guid.ParseExact(id["msg_".Length..], "N");
    }

    /// <summary>Parses the request body as a JSON object of strings (fails on anything else).</summary>
    public static Dictionary<string, string> StringObject(ReceivedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        return json.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p =>
            {
                Assert.True(p.Value.ValueKind == JsonValueKind.String, $"\"{p.Name}\" is {p.Value.ValueKind}, not a string, in {request.Body}");
                return p.Value.GetString()!;
            });
    }
}
