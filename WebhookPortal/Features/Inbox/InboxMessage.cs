namespace WebhookPortal.Features.Inbox;

/// <summary>A request received by the built-in Inbox receiver at <c>/inbox/{name}</c>.</summary>
public sealed class InboxMessage
{
    public long Id { get; set; }
    /// <summary>The <c>{name}</c> part of the path.</summary>
    public string Name { get; set; } = "";
    public string Method { get; set; } = "";
    /// <summary>The path and query as received.</summary>
    public string Target { get; set; } = "";
    /// <summary>Header lines, <c>Name: value</c>, one per line.</summary>
    public string Headers { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime ReceivedAt { get; set; }

    /// <summary>The header the portal names each event with; every message it sends carries it.</summary>
    public const string EventHeader = "X-Webhook-Event";

    /// <summary>
    /// The event the message carries by its <see cref="EventHeader"/> (<c>user.created</c> … <c>user.logout</c>, or
    /// <c>webhook.test</c> for Send test), or null for a request that has none (not sent by a webhook).
    /// </summary>
    public string? EventType()
    {
        foreach (var line in Headers.Split('\n'))
        {
            if (line.StartsWith(EventHeader + ": ", StringComparison.OrdinalIgnoreCase))
            {
                return line[(EventHeader.Length + 2)..].Trim();
            }
        }

        return null;
    }
}
