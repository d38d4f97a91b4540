using System.Text.RegularExpressions;
using WebhookPortal.Features.Security;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Clients;

/// <summary>
/// What the Create Client and Edit Client dialogs return and the API accepts; <see cref="Errors()"/> holds the rules. On an
/// edit, a blank <see cref="ClientId"/> and a null <see cref="DisplayName"/>, <see cref="Type"/> or URI list keep what is saved.
/// </summary>
public sealed partial class ClientModel
{
    /// <summary>Longest display name accepted, in characters.</summary>
    public const int DisplayNameMaxLength = 100;

    /// <summary>Longest redirect URI accepted, in characters.</summary>
    public const int UriMaxLength = 2048;

    private const string MustBeEncoded = "\"<>\\^`{|}";

    /// <summary>Most URIs one list (redirect or post-logout) may hold.</summary>
    public const int MaxUris = 20;

    public string ClientId { get; set; } = "";

    /// <summary>The name users see when they sign in; blank on create means the Client ID.</summary>
    public string? DisplayName { get; set; }

    public string Description { get; set; } = "";

    /// <summary>Null on create means <see cref="ClientType.Confidential"/>; fixed after creation.</summary>
    public ClientType? Type { get; set; }

    /// <summary>Where the portal may send a user back with an authorization code; absolute https (http only on loopback).</summary>
    public List<string>? RedirectUris { get; set; }

    /// <summary>Where the portal may send a user back after signing out; the same rules as <see cref="RedirectUris"/>.</summary>
    public List<string>? PostLogoutRedirectUris { get; set; }

    /// <summary>
    /// When editing: the <see cref="Client.Version"/> the form was loaded from; the save is refused (<see cref="ClientChange.Stale"/>)
    /// if someone changed the client since. Null saves whatever is stored now. Not part of the API's JSON, which sends
    /// <c>If-Match</c> instead.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int? Version { get; set; }

    /// <summary>A model holding what <paramref name="client"/> has saved, for the Edit Client dialog.</summary>
    public static ClientModel From(ClientSummary client) => new()
    {
        ClientId = client.ClientId,
        DisplayName = client.DisplayName,
        Description = client.Description,
        Type = client.Type,
        RedirectUris = [.. client.RedirectUris],
        PostLogoutRedirectUris = [.. client.PostLogoutRedirectUris],
        Version = client.Version,
    };

    /// <summary>Errors for <see cref="ClientId"/>: required, 3–64 characters of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public static IEnumerable<string> ValidateClientId(string? clientId)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            yield return UiText.Get("Client ID is required.");
        }
        else if (clientId.Length is < 3 or > 64)
        {
            yield return UiText.Get("Client ID must be 3 to 64 characters long.");
        }
        else if (!ClientIdPattern().IsMatch(clientId))
        {
            yield return UiText.Get("Client ID may only contain letters, digits, '.', '_' and '-'.");
        }
    }

    /// <summary>
    /// Errors for <see cref="Description"/>: at most <see cref="Client.DescriptionMaxLength"/> characters of valid text; line
    /// breaks and tabs allowed, other control characters not.
    /// </summary>
    public static IEnumerable<string> ValidateDescription(string? description)
    {
        if (description?.Length > Client.DescriptionMaxLength)
        {
            yield return UiText.Format("Description must be at most {0} characters.", Client.DescriptionMaxLength);
        }
        else if (TextRules.Problem("Description", description, multiLine: true) is { } problem)
        {
            yield return problem;
        }
    }

    /// <summary>Errors for <see cref="DisplayName"/>: at most <see cref="DisplayNameMaxLength"/> characters of one-line text (blank is allowed here: it means "unchanged" or the Client ID).</summary>
    public static IEnumerable<string> ValidateDisplayName(string? displayName)
    {
        if (displayName?.Trim().Length > DisplayNameMaxLength)
        {
            yield return UiText.Format("Display name must be at most {0} characters.", DisplayNameMaxLength);
        }
        else if (TextRules.Problem("Display name", displayName) is { } problem)
        {
            yield return problem;
        }
    }

    /// <summary>Errors for <see cref="Type"/>: one of the defined types (a number outside them would otherwise be saved).</summary>
    public static IEnumerable<string> ValidateType(ClientType? type)
    {
        if (type is { } value && !Enum.IsDefined(value))
        {
            yield return UiText.Get("Type must be confidential or public.");
        }
    }

    /// <summary>
    /// Errors for one list of redirect URIs, each naming its URI: absolute; <c>https</c>, or <c>http</c> on <c>localhost</c>
    /// or a loopback address (127.0.0.0/8, [::1]); ASCII only (an IDN host in punycode); no fragment, wildcard or user name; at most <see cref="UriMaxLength"/>
    /// characters; at most <see cref="MaxUris"/> URIs; no URI twice. Null is an empty list.
    /// </summary>
    public static IEnumerable<string> ValidateUris(IEnumerable<string?>? uris)
    {
        var list = uris?.ToList() ?? [];
        if (list.Count > MaxUris)
        {
            yield return UiText.Format("At most {0} URIs per list.", MaxUris);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var uri in list)
        {
            if (ValidateUri(uri) is { } problem)
            {
                yield return problem;
            }
            else if (!seen.Add(uri!.Trim()))
            {
                yield return UiText.Format("{0} is listed more than once.", uri.Trim());
            }
        }
    }

    /// <summary>Why <paramref name="text"/> cannot be a redirect URI (a message naming it), or null when it can.</summary>
    public static string? ValidateUri(string? text)
    {
        var uri = text?.Trim();
        if (string.IsNullOrEmpty(uri))
        {
            return UiText.Get("A redirect URI must not be empty.");
        }

        if (uri.Length > UriMaxLength)
        {
            return UiText.Format("A redirect URI must be at most {0} characters ({1}…).", UriMaxLength, uri[..40]);
        }

        if (uri.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || TextRules.HasLoneSurrogate(uri))
        {
            return UiText.Format("{0} must not contain spaces or control characters.", Printable(uri));
        }

        if (uri.Contains('*', StringComparison.Ordinal))
        {
            return UiText.Format("{0} must not contain a wildcard (*): every address is listed in full.", uri);
        }

        // "/callback" parses as an absolute file: URI on Linux, so a leading slash is checked first.
        if (uri.StartsWith('/') || uri.StartsWith('\\') || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.IsFile
            || string.IsNullOrEmpty(parsed.Host))
        {
            return UiText.Format("{0} is not an absolute URI such as https://app.example.com/signin-oidc.", uri);
        }

        if (uri.Contains('#', StringComparison.Ordinal))
        {
            return UiText.Format("{0} must not contain a fragment (#…).", uri);
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            return UiText.Format("{0} must not contain a user name or password.", uri);
        }

        // A browser, and so the docked system's own idea of its address, has the host in punycode and the path percent-encoded;
        // the authorization endpoint matches redirect URIs exactly and cannot put non-ASCII in a Location header.
        if (uri.Any(c => c > '\u007F'))
        {
            return UiText.Format("{0} must be written in ASCII, as browsers send it: {1}", uri,
                new UriBuilder(parsed) { Host = parsed.IdnHost }.Uri.AbsoluteUri);
        }

        // Characters RFC 3986 does not allow unescaped (" < > \ ^ ` { | }): a library sends them percent-encoded, so the URI as
        // typed could never match the one a docked system sends.
        if (uri.Any(MustBeEncoded.Contains))
        {
            return UiText.Format("{0} holds characters a URI must percent-encode: {1}", uri, string.Join(' ', uri.Where(MustBeEncoded.Contains).Distinct()));
        }

        var secure = parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback);
        return secure ? null : UiText.Format("{0} must use https (http only for localhost or a loopback address such as 127.0.0.1).", uri);
    }

    /// <summary>Every error of the model as it would be created, empty when it may be saved.</summary>
    public IReadOnlyList<string> Validate() => [.. Errors().Values.SelectMany(e => e)];

    /// <summary>The errors per field when creating (keys are the JSON names the API uses); empty when the model may be saved.</summary>
    public IReadOnlyDictionary<string, string[]> Errors() => FieldErrors.Of(
        ("clientId", ValidateClientId(ClientId)),
        ("displayName", ValidateDisplayName(DisplayName)),
        ("description", ValidateDescription(Description)),
        ("type", ValidateType(Type)),
        ("redirectUris", ValidateUris(RedirectUris)),
        ("postLogoutRedirectUris", ValidateUris(PostLogoutRedirectUris)));

    /// <summary>
    /// The errors per field when editing <paramref name="existing"/>: as <see cref="Errors()"/>, except that the Client ID
    /// may be left out but not changed (it is what docked systems sign in with), and the type may not change.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Errors(ClientSummary existing) => FieldErrors.Of(
        ("clientId", string.IsNullOrWhiteSpace(ClientId) || string.Equals(ClientId.Trim(), existing.ClientId, StringComparison.Ordinal)
            ? [] : [UiText.Get("The Client ID cannot be changed.")]),
        ("displayName", ValidateDisplayName(DisplayName)),
        ("description", ValidateDescription(Description)),
        ("type", Type is null || Type == existing.Type ? ValidateType(Type)
            : [UiText.Get("The type cannot be changed: delete the client and create it again.")]),
        ("redirectUris", ValidateUris(RedirectUris)),
        ("postLogoutRedirectUris", ValidateUris(PostLogoutRedirectUris)));

    /// <summary>The URIs of <paramref name="uris"/> trimmed, blank ones left out; empty for null.</summary>
    public static List<string> Clean(IEnumerable<string?>? uris) =>
        [.. (uris ?? []).Select(uri => uri?.Trim() ?? "").Where(uri => uri.Length > 0)];

    /// <summary>The URIs of a multi-line text, one per line, blank lines left out (how the dialogs take them).</summary>
    public static List<string> Lines(string? text) =>
        Clean((text ?? "").Split('\n'));

    // A URI with a control character in it is named with the character escaped, so the message stays one readable line.
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex ClientIdPattern();
}
