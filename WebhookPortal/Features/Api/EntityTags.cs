using System.Globalization;
using Microsoft.Net.Http.Headers;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Api;

/// <summary>
/// Strong entity tags (RFC 9110 §8.8.3) for the API's single resources and the <c>If-Match</c> precondition
/// (RFC 9110 §13.1.1) on their PUT and DELETE, so a client that read a resource cannot overwrite or delete a newer version
/// of it by mistake. A tag is a resource's concurrency token in quotes (<c>"3"</c>, an Identity stamp in quotes); weak tags
/// (<c>W/"3"</c>) never match, as strong comparison requires. Endpoints that use it carry <see cref="ConditionalRequests"/>.
/// </summary>
public static class EntityTags
{
    /// <summary>The request header, <c>If-Match</c>.</summary>
    public const string IfMatch = "If-Match";

    /// <summary>The tag of a resource whose concurrency token is <paramref name="token"/>: the token in double quotes.</summary>
    public static string Of(string token) => "\"" + token + "\"";

    /// <summary>
    /// The tag of a resource at integer <paramref name="version"/>, created at <paramref name="createdAt"/>: SQLite may give a
    /// deleted row's id to a new one, and the creation time keeps the newcomer's tags apart from those of the one before.
    /// </summary>
    public static string Of(int version, DateTime createdAt) =>
        Of(string.Create(CultureInfo.InvariantCulture, $"{version}-{createdAt.Ticks:x}"));

    /// <summary>Sends <paramref name="tag"/> as the response's <c>ETag</c>.</summary>
    public static void Send(HttpResponse response, string tag) => response.Headers.ETag = tag;

    /// <summary>True when the request has an <c>If-Match</c> other than <c>*</c>, so the change must be made to the version it names.</summary>
    public static bool NamesVersion(HttpRequest request) =>
        request.Headers.IfMatch.Count > 0 && !(EntityTagHeaderValue.TryParseList(request.Headers.IfMatch, out var tags) && tags.Contains(EntityTagHeaderValue.Any));

    /// <summary>
    /// The 412 problem when the request's <c>If-Match</c> matches neither <paramref name="currentTag"/> nor <c>*</c> (an
    /// unreadable header matches nothing); null when it matches or is absent, so the change goes ahead.
    /// <paramref name="what"/> names the resource in the detail ("Webhook 7 of client ID crm").
    /// </summary>
    public static ProblemHttpResult? Refusal(HttpRequest request, string currentTag, string what)
    {
        if (request.Headers.IfMatch.Count == 0)
        {
            return null;
        }

        var current = new EntityTagHeaderValue(currentTag);
        if (EntityTagHeaderValue.TryParseList(request.Headers.IfMatch, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: true)))
        {
            return null;
        }

        return Stale(what);
    }

    /// <summary>
    /// The problem for a change that collided with another one saved at the same moment: 412 when the request named a version
    /// (<see cref="NamesVersion"/>), else 409 — without If-Match the request named no version, so "precondition" would mislead.
    /// </summary>
    public static ProblemHttpResult Collided(HttpRequest request, string what) => NamesVersion(request)
        ? Stale(what)
        : ApiResults.Conflict(UiText.Format("{0} was changed by another request at the same moment; nothing was changed. Send the change again.", what));

    /// <summary>The 412 problem for a change refused because <paramref name="what"/> changed since the client read it.</summary>
    public static ProblemHttpResult Stale(string what) => ApiResults.Problem(StatusCodes.Status412PreconditionFailed, "Precondition failed",
        UiText.Format("{0} changed since the version named in If-Match was read; nothing was changed. GET it again for the current ETag, " +
            "apply your change to what it returns, and send it with that ETag.", what));
}
