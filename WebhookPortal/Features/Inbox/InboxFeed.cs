using WebhookPortal.Common;

namespace WebhookPortal.Features.Inbox;

/// <summary>Published when a message arrives, so the Inbox page refreshes.</summary>
public sealed class InboxFeed : ChangeFeed;
