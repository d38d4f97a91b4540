using WebhookPortal.Features.Security;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Webhooks;

/// <summary>What the Create Webhook dialog edits and returns; the static validators are shared with every other entry point.</summary>
public sealed class WebhookModel
{
    public string Name { get; set; } = "";
    public WebhookObject Object { get; set; } = WebhookObject.User;
    /// <summary>The chosen actions; at least one.</summary>
    public IReadOnlyCollection<UserAction> Actions { get; set; } = [UserAction.Created];

    /// <summary>
    /// Which sign-ins and sign-outs fire the Login and Logout actions; every one by default (as before single sign-on).
    /// Kept, though it has no effect, when neither action is chosen.
    /// </summary>
    public SignInScope SignIns { get; set; } = SignInScope.AnyClient;

    /// <summary>Whether the actions include Login or Logout, so <see cref="SignIns"/> matters.</summary>
    public bool HasSignInActions => Actions.Any(a => a is UserAction.LoggedIn or UserAction.LoggedOut);

    /// <summary>Keep order per user (<see cref="Webhook.OrderedPerUser"/>); off by default.</summary>
    public bool OrderedPerUser { get; set; }

    public string Url { get; set; } = "";
    public string Method { get; set; } = "POST";
    /// <summary>The Message Body template; pre-filled with the default body.</summary>
    public string Body { get; set; } = TemplateRenderer.DefaultBody;

    /// <summary>The kind of receiver; follows the URL (<see cref="WebhookTargets.Detect"/>) unless <see cref="TargetChosen"/>.</summary>
    public WebhookTarget Target { get; set; }

    /// <summary>True when the administrator picked <see cref="Target"/> instead of letting the URL decide.</summary>
    public bool TargetChosen { get; set; }

    /// <summary>Custom header rows; values may use variables. A saved secret header's row holds an empty value (see <see cref="SavedSecretHeaders"/>).</summary>
    public List<WebhookHeader> Headers { get; set; } = [];

    /// <summary>
    /// The stored (encrypted) values of the webhook's secret headers by name; a secret row left empty keeps its saved value,
    /// so a secret never travels back to the browser.
    /// </summary>
    public IReadOnlyDictionary<string, string> SavedSecretHeaders { get; set; } = new Dictionary<string, string>();

    /// <summary>The names in <see cref="SavedSecretHeaders"/>.</summary>
    public IReadOnlySet<string> SavedSecretHeaderNames => new HashSet<string>(SavedSecretHeaders.Keys, StringComparer.OrdinalIgnoreCase);

    /// <summary>A new robot signing secret (DingTalk, Feishu) typed in the dialog; empty keeps the saved one (if any).</summary>
    public string RobotSecret { get; set; } = "";

    /// <summary>Whether the webhook already has a robot secret (its value is never shown again).</summary>
    public bool HasRobotSecret { get; set; }

    /// <summary>True to forget the saved robot secret when saved.</summary>
    public bool RemoveRobotSecret { get; set; }

    /// <summary>Whether the webhook already has a signing secret (its value is never shown again).</summary>
    public bool HasSigningSecret { get; set; }

    /// <summary>A secret generated in this dialog, shown once and saved with the webhook; null keeps the current one.</summary>
    public string? NewSigningSecret { get; set; }

    /// <summary>True to stop signing: the current secret is removed when saved.</summary>
    public bool RemoveSigningSecret { get; set; }

    /// <summary>
    /// When editing: the <see cref="Webhook.Version"/> the form was loaded from; the save is refused (<see cref="WebhookSave.Stale"/>)
    /// if someone changed the webhook since. Null saves over whatever is stored now.
    /// </summary>
    public int? Version { get; set; }

    /// <summary>The model of an existing webhook, for editing.</summary>
    public static WebhookModel From(Webhook webhook) => new()
    {
        Name = webhook.Name,
        Object = webhook.Object,
        Actions = UserActions.All.Where(a => webhook.Actions.HasFlag(a)).ToList(),
        SignIns = webhook.SignIns,
        OrderedPerUser = webhook.OrderedPerUser,
        Url = webhook.Url,
        Method = webhook.Method,
        Body = webhook.Body,
        HasSigningSecret = webhook.SigningSecret is not null,
        Target = webhook.Target,
        TargetChosen = webhook.Target != WebhookTargets.Detect(webhook.Url),
        Headers = [.. webhook.Headers.Select(h => h.Secret ? h with { Value = "" } : h)],
        SavedSecretHeaders = webhook.Headers.Where(h => h.Secret).GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase),
        HasRobotSecret = webhook.RobotSecret is not null,
        Version = webhook.Version,
    };

    /// <summary>The target the webhook will have when saved: the chosen one, or the one the URL names.</summary>
    public WebhookTarget EffectiveTarget => TargetChosen ? Target : WebhookTargets.Detect(Url);

    /// <summary>How long a rotated-out signing secret keeps signing alongside the new one (Standard Webhooks rotation).</summary>
    public static readonly TimeSpan SigningSecretOverlap = TimeSpan.FromHours(24);

    /// <summary>
    /// Copies the model onto <paramref name="webhook"/> (trimmed; actions combined into flags). A rotated signing secret keeps
    /// signing for <see cref="SigningSecretOverlap"/> after <paramref name="now"/> (UTC).
    /// </summary>
    public void ApplyTo(Webhook webhook, DateTime now)
    {
        webhook.Name = Name.Trim();
        webhook.Object = Object;
        webhook.Actions = Actions.Aggregate(UserAction.None, (all, a) => all | a);
        webhook.SignIns = SignIns;
        webhook.OrderedPerUser = OrderedPerUser;
        webhook.Url = Url.Trim();
        webhook.Target = EffectiveTarget;
        webhook.Method = Method.ToUpperInvariant();
        webhook.Body = Body;
        webhook.Headers = Headers.Where(h => h.Name.Trim().Length > 0)
            .Select(h => h with { Name = h.Name.Trim() })
            .Select(h => h.Secret && h.Value.Length == 0 && SavedSecretHeaders.TryGetValue(h.Name, out var saved) ? h with { Value = saved } : h)
            .ToList();
        webhook.RobotSecret = !WebhookTargets.For(EffectiveTarget).UsesRobotSecret ? null
            : RobotSecret.Trim().Length > 0 ? RobotSecret.Trim()
            : RemoveRobotSecret ? null
            : webhook.RobotSecret;
        if (NewSigningSecret is not null)
        {
            if (webhook.SigningSecret is { } current && current != NewSigningSecret)
            {
                webhook.PreviousSigningSecret = current;
                webhook.PreviousSigningSecretExpiresAt = now + SigningSecretOverlap;
            }

            webhook.SigningSecret = NewSigningSecret;
        }
        else if (RemoveSigningSecret)
        {
            webhook.SigningSecret = null;
            webhook.PreviousSigningSecret = null;
            webhook.PreviousSigningSecretExpiresAt = null;
        }
    }

    public static IEnumerable<string> ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            yield return UiText.Get("Name is required.");
        }
        else if (name.Trim().Length > Webhook.NameMaxLength)
        {
            yield return UiText.Format("Name must be at most {0} characters.", Webhook.NameMaxLength);
        }
        else if (TextRules.Problem("Name", name) is { } problem)
        {
            yield return problem;
        }
    }

    /// <summary>
    /// Errors for the chosen actions: at least one, and each exactly one of <see cref="UserActions.All"/> — not None, not a
    /// number no action has, not several flags in one entry (each would slip past the one-action rule or fire nothing).
    /// </summary>
    public static IEnumerable<string> ValidateActions(IEnumerable<UserAction>? actions)
    {
        if (actions is null || !actions.Any())
        {
            yield return UiText.Get("Choose at least one action.");
        }
        else if (actions.Any(a => !UserActions.All.Contains(a)))
        {
            yield return UiText.Format("Each action must be one of: {0}.", string.Join(", ", UserActions.All));
        }
    }

    /// <summary>Errors for <see cref="Object"/>: one of the defined objects (only User today).</summary>
    public static IEnumerable<string> ValidateObject(WebhookObject value)
    {
        if (!Enum.IsDefined(value))
        {
            yield return UiText.Format("Object must be one of: {0}.", string.Join(", ", Enum.GetValues<WebhookObject>()));
        }
    }

    /// <summary>
    /// Errors for <see cref="SignIns"/>: one of the defined scopes. Stored by number, an undefined one would be saved and act
    /// as ThisClient while the webhook claimed another scope.
    /// </summary>
    public static IEnumerable<string> ValidateSignIns(SignInScope value)
    {
        if (!Enum.IsDefined(value))
        {
            yield return UiText.Format("Sign-ins must be one of: {0}.", string.Join(", ", Enum.GetValues<SignInScope>()));
        }
    }

    /// <summary>
    /// Errors for a chosen <see cref="Target"/>: one of the defined kinds. Stored by number, an undefined one would be saved
    /// and sent as Generic while the webhook claimed another kind.
    /// </summary>
    public static IEnumerable<string> ValidateTarget(WebhookTarget value)
    {
        if (!Enum.IsDefined(value))
        {
            yield return UiText.Format("Target must be one of: {0}.", string.Join(", ", Enum.GetValues<WebhookTarget>()));
        }
    }

    public static IEnumerable<string> ValidateMethod(string? method)
    {
        if (method is null || !WebhookMethods.All.Contains(method.ToUpperInvariant()))
        {
            yield return UiText.Get("Method must be GET, POST, PUT, PATCH or DELETE.");
        }
    }

    /// <summary>Longest robot secret, in characters (DingTalk's are 67).</summary>
    public const int RobotSecretMaxLength = 200;

    /// <summary>Errors for <see cref="RobotSecret"/>: optional; at most <see cref="RobotSecretMaxLength"/> visible ASCII characters.</summary>
    public static IEnumerable<string> ValidateRobotSecret(string? secret)
    {
        var trimmed = secret?.Trim() ?? "";
        if (trimmed.Length > RobotSecretMaxLength)
        {
            yield return UiText.Format("Robot secret must be at most {0} characters.", RobotSecretMaxLength);
        }
        else if (trimmed.Any(c => c is < '!' or > '~'))
        {
            yield return UiText.Get("Robot secret may only contain visible ASCII characters (letters, digits and symbols, no spaces).");
        }
    }

    public static IEnumerable<string> ValidateUrl(string? url) => TemplateValidator.ValidateUrl(url?.Trim());

    public static IEnumerable<string> ValidateBody(string? body) => TemplateValidator.ValidateBody(body);

    /// <summary>Every error of the model, empty when it may be saved.</summary>
    public IReadOnlyList<string> Validate() => [.. Errors().Values.SelectMany(e => e)];

    /// <summary>The errors per field (keys are the JSON names the API uses); empty when the model may be saved.</summary>
    public IReadOnlyDictionary<string, string[]> Errors() => FieldErrors.Of(
        ("name", ValidateName(Name)),
        ("object", ValidateObject(Object)),
        ("actions", ValidateActions(Actions)),
        ("signIns", ValidateSignIns(SignIns)),
        ("target", TargetChosen ? ValidateTarget(Target) : []),
        ("url", ValidateUrl(Url)),
        ("method", ValidateMethod(Method)),
        ("body", WebhookMethods.HasBody(Method) ? ValidateBody(Body) : []),
        ("robotSecret", WebhookTargets.For(EffectiveTarget).UsesRobotSecret ? ValidateRobotSecret(RobotSecret) : []),
        ("headers", WebhookHeaders.Validate(Headers.Where(h => h.Name.Trim().Length > 0 || h.Value.Length > 0).ToList())));
}
