using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Webhooks;

/// <summary>A webhook as the API returns it: robot URLs masked, secret header values replaced by <c>******</c>.</summary>
/// <param name="Id">The webhook's id.</param>
/// <param name="ClientId">Its client.</param>
/// <param name="SignIns">Which sign-ins fire LoggedIn and LoggedOut: <c>AnyClient</c> or <c>ThisClient</c>.</param>
/// <param name="OrderedPerUser">Whether deliveries about one user are sent one at a time in event order.</param>
/// <param name="Url">The URL, with a robot's key masked.</param>
/// <param name="HasSigningSecret">Whether requests carry <c>webhook-signature</c>.</param>
/// <param name="HasRobotSecret">Whether a DingTalk/Feishu robot secret is saved.</param>
/// <param name="DisabledReason">Why the portal disabled it, if it did, in the request's language (<c>Accept-Language</c>).</param>
public sealed record WebhookResponse(
    int Id, string ClientId, string Name, WebhookObject Object, IReadOnlyList<UserAction> Actions, SignInScope SignIns, bool OrderedPerUser, string Url, string Method,
    WebhookTarget Target, string Body, IReadOnlyList<WebhookHeader> Headers, bool HasSigningSecret, bool HasRobotSecret,
    bool Enabled, string? DisabledReason, DateTime CreatedAt, DateTime UpdatedAt)
{
    /// <summary>Shown instead of a secret header's value.</summary>
    public const string Masked = WebhookPreview.Masked;

    public static WebhookResponse From(Webhook webhook, string clientId) => new(
        webhook.Id, clientId, webhook.Name, webhook.Object, [.. UserActions.All.Where(a => webhook.Actions.HasFlag(a))], webhook.SignIns, webhook.OrderedPerUser,
        WebhookTargets.MaskUrl(webhook.Url), webhook.Method, webhook.Target, webhook.Body,
        [.. webhook.Headers.Select(h => h.Secret ? h with { Value = Masked } : h)],
        webhook.SigningSecret is not null, webhook.RobotSecret is not null, webhook.Enabled, MessageText.Render(webhook.DisabledReason), webhook.CreatedAt, webhook.UpdatedAt);
}
