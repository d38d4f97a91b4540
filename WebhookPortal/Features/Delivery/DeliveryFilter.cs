using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Common;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The Deliveries page's filters, as they appear in its URL (<c>/deliveries?status=Failed&amp;client=demo-client</c>) so a
/// filtered view can be linked. Values that do not parse are ignored, not refused: an old link still opens.
/// </summary>
/// <param name="ClientId">Part of the Client ID, case-insensitive, as <paramref name="WebhookName"/> is part of the webhook's name.</param>
/// <param name="WebhookName">Part of the webhook's name, case-insensitive.</param>
/// <param name="Action">The user action; test deliveries carry the action of their sample event.</param>
/// <param name="From">First day (UTC) whose deliveries are shown, by creation time.</param>
/// <param name="To">Last day (UTC) whose deliveries are shown, inclusive.</param>
public sealed record DeliveryFilter(
    DeliveryStatus? Status = null, string? ClientId = null, string? WebhookName = null, UserAction? Action = null,
    DateOnly? From = null, DateOnly? To = null)
{
    /// <summary>Query parameter names.</summary>
    public const string StatusKey = "status", ClientKey = "client", WebhookKey = "webhook", ActionKey = "action", FromKey = "from", ToKey = "to";

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>
    /// Why these filters can match no delivery, for the page and the API to say: From is after To. Null when the dates are
    /// in order or not both given.
    /// </summary>
    public string? DateRangeProblem => From is { } from && To is { } to && from > to
        ? UiText.Format("From ({0}) is after To ({1}), so no delivery can match; choose a From date on or before the To date.",
            from.ToString(DateFormat, CultureInfo.InvariantCulture), to.ToString(DateFormat, CultureInfo.InvariantCulture))
        : null;

    /// <summary>True when nothing is filtered.</summary>
    public bool IsEmpty => this == new DeliveryFilter();

    /// <summary>Reads the filters from query values; blank or unknown values mean "any".</summary>
    public static DeliveryFilter Parse(string? status, string? client, string? webhook, string? action, string? from, string? to) => new(
        ParseStatus(status),
        Blank(client),
        Blank(webhook),
        ParseAction(action),
        ParseDate(from),
        ParseDate(to));

    /// <summary>The filters as query parameters; a null value removes the parameter from the URL.</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        [StatusKey] = Status?.ToString(),
        [ClientKey] = ClientId,
        [WebhookKey] = WebhookName,
        [ActionKey] = Action?.ToString(),
        [FromKey] = From?.ToString(DateFormat, CultureInfo.InvariantCulture),
        [ToKey] = To?.ToString(DateFormat, CultureInfo.InvariantCulture),
    };

    /// <summary>Narrows <paramref name="query"/> to the deliveries these filters show.</summary>
    public IQueryable<Delivery> Apply(IQueryable<Delivery> query)
    {
        // Paused is never stored: Pending and Paused split the stored Pending rows by their webhook's switch.
        query = Status switch
        {
            DeliveryStatus.Paused => query.Where(PausedDeliveries.IsPaused),
            DeliveryStatus.Pending => query.Where(PausedDeliveries.IsPendingNotPaused),
            { } status => query.Where(d => d.Status == status),
            null => query,
        };

        if (ClientId is { } client)
        {
            var pattern = TextSearch.Pattern(client);
            query = query.Where(d => TextSearch.Matches(d.ClientId, pattern));
        }

        if (WebhookName is { } webhook)
        {
            var pattern = TextSearch.Pattern(webhook);
            query = query.Where(d => TextSearch.Matches(d.WebhookName, pattern));
        }

        if (Action is { } action)
        {
            query = query.Where(d => d.Action == action);
        }

        if (From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(d => d.CreatedAt >= start);
        }

        // The last day of the calendar has no next day to stop before: everything is on or before it.
        if (To is { } to && to < DateOnly.MaxValue)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(d => d.CreatedAt < end);
        }

        return query;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // By name only: Enum.TryParse also reads numbers and lists ("Succeeded,Failed" is 1 | 2, which is Cancelled).
    private static DeliveryStatus? ParseStatus(string? value) =>
        Enum.GetValues<DeliveryStatus>().Select(s => (DeliveryStatus?)s)
            .FirstOrDefault(s => string.Equals(s.ToString(), value?.Trim(), StringComparison.OrdinalIgnoreCase));

    private static UserAction? ParseAction(string? value) =>
        UserActions.All.FirstOrDefault(a =>
            string.Equals(a.ToString(), value, StringComparison.OrdinalIgnoreCase)
            || string.Equals(a.ActionName(), value, StringComparison.OrdinalIgnoreCase)
            || string.Equals(a.Label(), value, StringComparison.OrdinalIgnoreCase)) is var found && found != UserAction.None ? found : null;

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
