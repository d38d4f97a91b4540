using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Webhooks;

/// <summary>An HTTP request to send when one of <see cref="Actions"/> happens to a user of the given <see cref="Object"/>.</summary>
public sealed class Webhook
{
    public const int NameMaxLength = 100;
    /// <summary>Longest URL accepted, in characters (the common browser and proxy limit).</summary>
    public const int UrlMaxLength = 2048;
    /// <summary>Largest message body template accepted, in UTF-8 bytes.</summary>
    public const int BodyMaxBytes = 64 * 1024;

    public int Id { get; set; }

    public int ClientKey { get; set; }
    public Client? Client { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The kind of object whose events fire the webhook; only <see cref="WebhookObject.User"/> today.</summary>
    public WebhookObject Object { get; set; } = WebhookObject.User;

    /// <summary>One or more actions (flags) that fire the webhook.</summary>
    public UserAction Actions { get; set; }

    /// <summary>
    /// Which sign-ins fire the webhook's <see cref="UserAction.LoggedIn"/> and <see cref="UserAction.LoggedOut"/> actions:
    /// every sign-in (the portal's own and any client's, the default) or only those through this webhook's client.
    /// </summary>
    public SignInScope SignIns { get; set; } = SignInScope.AnyClient;

    /// <summary>Absolute http(s) URL template; placeholders are percent-encoded when rendered.</summary>
    public string Url { get; set; } = "";

    /// <summary>The kind of receiver, detected from the URL when the webhook is saved; decides the success rule.</summary>
    public WebhookTarget Target { get; set; }

    /// <summary>GET, POST, PUT, PATCH or DELETE. GET sends no body.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>The Message Body template (JSON with <c>{{$$.Field$$}}</c>); empty means the default body.</summary>
    public string Body { get; set; } = "";

    /// <summary>
    /// The Standard Webhooks signing secret (<c>whsec_…</c>); when set, every request carries <c>webhook-signature</c>.
    /// Shown once, when generated.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// The secret replaced by the last rotation, still used for a second <c>webhook-signature</c> entry until
    /// <see cref="PreviousSigningSecretExpiresAt"/>, so receivers can switch secrets without rejecting messages.
    /// </summary>
    public string? PreviousSigningSecret { get; set; }

    /// <summary>When (UTC) <see cref="PreviousSigningSecret"/> stops being used.</summary>
    public DateTime? PreviousSigningSecretExpiresAt { get; set; }

    /// <summary>
    /// The robot's own signing secret for DingTalk (<c>SEC…</c>, signed into the query) or Feishu/Lark (signed into the body);
    /// null when the robot does not use signing. Ignored for other targets.
    /// </summary>
    public string? RobotSecret { get; set; }

    /// <summary>Custom request headers; values are templates. At most <see cref="WebhookHeaders.MaxCount"/>.</summary>
    public List<WebhookHeader> Headers { get; set; } = [];

    /// <summary>
    /// Keep order per user: the webhook's deliveries about one user are sent one at a time in event order (by
    /// <see cref="Delivery.Delivery.Sequence"/>); a later one waits while an earlier one is pending, paused or retrying. Off by default.
    /// </summary>
    public bool OrderedPerUser { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Why the webhook was disabled by the system, if it was; null when an administrator disabled it or it is enabled. A
    /// <see cref="Localization.CodedMessage"/> (older rows: English text); <see cref="Localization.MessageText"/> shows it.
    /// </summary>
    public string? DisabledReason { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Counts the changes (edit, enable, disable, secret rotation), starting at 0; a concurrency token, so a save made from an
    /// older version is refused instead of undoing a change it never saw. The API's <c>ETag</c> is derived from it.
    /// </summary>
    public int Version { get; set; }
}
