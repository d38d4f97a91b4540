namespace WebhookPortal.Features.Inbox;

/// <summary>Settings under <c>Inbox</c>.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>Whether <c>/inbox/{name}</c> receives; null means on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
