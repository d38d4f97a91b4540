using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Webhooks;

/// <summary>
/// A webhook as the API accepts it. Secrets are write-only: <see cref="RobotSecret"/> and secret header values are never
/// returned; on update an empty one, or the mask GET returns, keeps the saved value, and so does a URL sent back with its
/// credential masked as GET returns it. The signing secret is made by <c>rotate-secret</c>.
/// </summary>
public sealed class WebhookRequest
{
    /// <summary>Unique within the client.</summary>
    public string Name { get; set; } = "";

    /// <summary>Only <c>User</c> today.</summary>
    public WebhookObject Object { get; set; } = WebhookObject.User;

    /// <summary>At least one of Created, Updated, Deleted, LoggedIn, LoggedOut.</summary>
    public List<UserAction> Actions { get; set; } = [];

    /// <summary>
    /// For LoggedIn and LoggedOut: <c>AnyClient</c> (every sign-in, at the portal and through any client ID) or
    /// <c>ThisClient</c> (only through this webhook's client ID). Absent: AnyClient for a new webhook, unchanged on update.
    /// </summary>
    public SignInScope? SignIns { get; set; }

    /// <summary>
    /// Keep order per user: the webhook's deliveries about one user leave one at a time in event order (<c>webhook-sequence</c>).
    /// Absent: off for a new webhook, unchanged on update.
    /// </summary>
    public bool? OrderedPerUser { get; set; }

    /// <summary>Absolute http(s) URL; variables allowed in path and query. A bare WeCom robot key is completed to the robot's URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>POST, GET, PUT, PATCH or DELETE.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>
    /// The Message Body template. Empty, or absent on create: the target's first preset (the default body for Generic). Absent on
    /// update: the saved body (an unedited preset follows a changed target).
    /// </summary>
    public string? Body { get; set; }

    /// <summary>The receiver kind; absent to detect it from the URL.</summary>
    public WebhookTarget? Target { get; set; }

    /// <summary>Custom headers; values may use variables. A secret header sent with an empty or masked value keeps its saved value.</summary>
    public List<WebhookHeader> Headers { get; set; } = [];

    /// <summary>DingTalk/Feishu robot signing secret (write-only); empty keeps the saved one.</summary>
    public string? RobotSecret { get; set; }

    /// <summary>True to forget the saved robot secret.</summary>
    public bool RemoveRobotSecret { get; set; }

    /// <summary>The dialog's model for this request, on top of <paramref name="existing"/> when updating.</summary>
    public WebhookModel ToModel(Webhook? existing)
    {
        var model = existing is null ? new WebhookModel() : WebhookModel.From(existing);
        WebhookTarget? savedTarget = existing is null ? null : model.EffectiveTarget;
        model.Name = Name;
        model.Object = Object;
        model.Actions = Actions;
        // Absent keeps what the webhook has, so a client written before single sign-on cannot widen a webhook by updating it.
        model.SignIns = SignIns ?? model.SignIns;
        model.OrderedPerUser = OrderedPerUser ?? model.OrderedPerUser;
        // What GET returned goes back unchanged: the URL with its credential masked stands for the saved URL.
        if (existing is not null && Url == WebhookTargets.MaskUrl(existing.Url))
        {
            model.Url = existing.Url;
        }
        else
        {
            // A bare robot key is completed as the dialog completes it.
            WebhookTargetRules.SetUrl(model, Url);
        }

        model.Method = Method;
        // Absent on update keeps the saved body, as it keeps the other optional fields: a rename must not lose a template.
        var keepsSavedBody = Body is null && existing is not null;
        if (!keepsSavedBody)
        {
            model.Body = Body ?? "";
        }

        model.Target = Target ?? default;
        model.TargetChosen = Target is not null;
        // No body given: the target's preset, as the dialog gives it (a WeCom robot refuses the generic body). A kept body
        // changes only as the dialog changes it: an unedited preset follows a new target, a written one stays.
        if (string.IsNullOrWhiteSpace(Body))
        {
            WebhookTargetRules.FollowTarget(model, before: keepsSavedBody ? savedTarget : null);
        }
        // A JSON null inside the list is no header at all; a secret header sent back masked, as GET returns it, keeps its
        // saved value like one sent empty.
        model.Headers = [.. Headers.OfType<WebhookHeader>().Select(h => h.Secret && h.Value == WebhookResponse.Masked ? h with { Value = "" } : h)];
        model.RobotSecret = RobotSecret ?? "";
        model.RemoveRobotSecret = RemoveRobotSecret;
        return model;
    }
}
