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
}
