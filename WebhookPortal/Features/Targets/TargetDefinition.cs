namespace WebhookPortal.Features.Targets;

/// <summary>
/// Everything the portal knows about one kind of receiver: how its URL is recognised and masked, the Message Body presets
/// shaped for it, how its answers are judged, how requests to it are signed, and its size and rate limits. One sealed
/// subclass per <see cref="WebhookTarget"/> value, listed in <see cref="WebhookTargets.All"/>; the defaults here are those of
/// a plain HTTP endpoint. docs/targets.md lists the kinds and says how to add one.
/// </summary>
public abstract class TargetDefinition
{
    /// <summary>The stored value this definition describes.</summary>
    public abstract WebhookTarget Target { get; }

    /// <summary>The display name in English, also its key in Strings.resx, e.g. "Feishu / Lark".</summary>
    public abstract string Label { get; }

    /// <summary>The MudBlazor icon shown beside <see cref="Label"/>.</summary>
    public abstract string Icon { get; }

    /// <summary>The platform's own documentation the rules of this kind come from; null for a plain HTTP endpoint.</summary>
    public virtual Uri? Documentation => null;

    /// <summary>
    /// A URL of this kind's shape, its credentials written <c>KEY</c>, <c>TOKEN</c> or <c>SIG</c>: <see cref="WebhookTargets.Detect"/>
    /// recognises it as this kind and <see cref="WebhookTargets.MaskUrl"/> hides every credential in it (tested).
    /// </summary>
    public abstract string ExampleUrl { get; }

    /// <summary>
    /// The Message Body presets shaped for this kind, at least one, each with <see cref="WebhookPreset.Target"/> =
    /// <see cref="Target"/>. The first is the body an unedited webhook switches to when its URL turns out to be this kind.
    /// </summary>
    public abstract IReadOnlyList<WebhookPreset> Presets { get; }

    /// <summary>
    /// The hosts whose URLs are this kind, in lower case; <c>*.example.com</c> stands for every host under example.com.
    /// Empty for a kind that is never detected from the URL.
    /// </summary>
    public virtual IReadOnlyList<string> Hosts => [];

    /// <summary>True when <paramref name="url"/> is this kind's; by default when its host is one of <see cref="Hosts"/>.</summary>
    public virtual bool Matches(Uri url)
    {
        var host = url.Host.ToLowerInvariant();
        return Hosts.Any(pattern => pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.Ordinal)
            : host == pattern);
    }

    /// <summary>
    /// What the dialog says (English, a resource key) after <see cref="CompleteUrl"/> made a URL of what was typed; null for
    /// a kind that completes nothing, whose <see cref="CompleteUrl"/> is then never asked.
    /// </summary>
    public virtual string? UrlCompletionNote => null;

    /// <summary>
    /// The URL that <paramref name="text"/> (trimmed) unambiguously stands for although it is not one, e.g. a bare robot key;
    /// null when it stands for none.
    /// </summary>
    public virtual string? CompleteUrl(string text) => null;

    /// <summary>
    /// <paramref name="url"/> with the credentials this kind carries in its path replaced by <c>…</c>. Credentials in the
    /// query are masked for every kind by <see cref="WebhookTargets.MaskUrl"/>.
    /// </summary>
    public virtual string MaskPath(string url) => url;

    /// <summary>When an answer counts as delivered, in one English line for docs/targets.md.</summary>
    public virtual string SuccessRule => "HTTP 2xx";

    /// <summary>The error codes this kind puts in the JSON body of its answers; null when it has none.</summary>
    public virtual BodyCodes? Codes => null;

    /// <summary>
    /// The verdict on an answer with HTTP <paramref name="status"/> and <paramref name="body"/> (possibly cut to the
    /// excerpt), or null when the status alone decides: 2xx success, 3xx and 4xx other than 408, 409, 425 and 429
    /// permanent, the rest retried. By default a 2xx answer is judged by <see cref="Codes"/> when the kind has them.
    /// </summary>
    public virtual Verdict? Judge(int status, string? body) =>
        status is >= 200 and < 300 && Codes is { } codes ? codes.Judge(body) : null;

    /// <summary>
    /// The wait this kind puts in the body of a rate-limit answer with HTTP <paramref name="status"/>, preferred over the
    /// Retry-After header; null when the body holds none.
    /// </summary>
    public virtual TimeSpan? RetryAfterInBody(int status, string? body) => null;

    /// <summary>The sending rates this kind allows, each counted per webhook; empty when it publishes none.</summary>
    public virtual IReadOnlyList<TargetRateLimit> RateLimits => [];

    /// <summary>The sizes over which this kind refuses a message; empty when it documents none.</summary>
    public virtual IReadOnlyList<TargetSizeLimit> SizeLimits => [];

    /// <summary>
    /// The measurement of <paramref name="body"/> (rendered, as sent) against the one of <see cref="SizeLimits"/> that
    /// applies to it, or null when none does.
    /// </summary>
    public virtual SizeCheck? CheckSize(string body) => null;

    /// <summary>
    /// Help for the dialog's Robot secret field (English, a resource key), or null when this kind has no signing of its own:
    /// the field is then hidden and a saved robot secret is dropped.
    /// </summary>
    public virtual string? RobotSecretHelp => null;

    /// <summary>True when this kind signs requests with a robot secret (it has a <see cref="RobotSecretHelp"/>).</summary>
    public bool UsesRobotSecret => RobotSecretHelp is not null;

    /// <summary>How a request is signed with the robot secret, in one English line for docs/targets.md; null when it is not.</summary>
    public virtual string? SigningRule => null;

    /// <summary>
    /// The URL and body to send for one attempt at <paramref name="now"/>, signed with the robot <paramref name="secret"/>;
    /// without a secret, or for a kind without signing, <paramref name="url"/> and <paramref name="body"/> unchanged. Computed
    /// for every attempt and never stored: a signature carries its time, and the robots refuse old ones.
    /// </summary>
    /// <exception cref="FormatException">The body has no place for the signature (not a JSON object).</exception>
    public (string Url, string? Body) Sign(string? secret, string url, string? body, DateTimeOffset now) =>
        string.IsNullOrEmpty(secret) ? (url, body) : SignWith(secret, url, body, now);

    /// <summary>Signs one attempt; <paramref name="secret"/> is never empty.</summary>
    protected virtual (string Url, string? Body) SignWith(string secret, string url, string? body, DateTimeOffset now) => (url, body);

    /// <summary>
    /// <paramref name="url"/> as the preview shows it when a robot secret is set: with the signature of
    /// <paramref name="timestamp"/> in place and its value replaced by <paramref name="mask"/>.
    /// </summary>
    public virtual string PreviewSignedUrl(string url, DateTimeOffset timestamp, string mask) => url;

    /// <summary>
    /// <paramref name="body"/> (rendered, valid JSON) as the preview shows it when a robot secret is set: with the signature of
    /// <paramref name="timestamp"/> in place and its value replaced by <paramref name="mask"/>.
    /// </summary>
    public virtual string PreviewSignedBody(string body, DateTimeOffset timestamp, string mask) => body;
}
