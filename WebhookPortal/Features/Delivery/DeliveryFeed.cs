using WebhookPortal.Common;

namespace WebhookPortal.Features.Delivery;

/// <summary>Published after every recorded attempt and every committed event that queued deliveries, so delivery lists refresh.</summary>
public sealed class DeliveryFeed : ChangeFeed;
