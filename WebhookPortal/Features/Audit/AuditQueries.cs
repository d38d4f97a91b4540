using Microsoft.EntityFrameworkCore;
using WebhookPortal.Common;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Audit;

/// <summary>Reads the audit log for the Audit log page.</summary>
public sealed class AuditQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>
    /// One page (0-based) of entries, newest first, with the total. <paramref name="kind"/> (<c>user</c>, <c>client</c>,
    /// <c>webhook</c> …) keeps the entries whose action starts with it and a dot, or, when it is an action
    /// (<c>webhook.created</c>: it holds a dot), those of that action; <paramref name="search"/> (trimmed) those whose
    /// actor, subject or action contains it without regard to case (<see cref="TextSearch"/>), or whose action's name in
    /// the current UI language (<see cref="AuditText.Action"/>) does.
    /// </summary>
    public async Task<(IReadOnlyList<AuditEntry> Items, int Total)> ListAsync(
        string? kind, string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (kind is not null && kind.Contains('.', StringComparison.Ordinal))
        {
            query = query.Where(a => a.Action == kind);
        }
        else if (kind is not null)
        {
            query = query.Where(a => a.Action.StartsWith(kind + "."));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = TextSearch.Pattern(search.Trim());
            var named = AuditText.Actions.Select(a => a.Action)
                .Where(action => AuditText.Action(action).Contains(search.Trim(), StringComparison.CurrentCultureIgnoreCase)).ToList();
            query = query.Where(a => TextSearch.Matches(a.ActorName, pattern)
                || TextSearch.Matches(a.Subject, pattern)
                || TextSearch.Matches(a.Action, pattern)
                || named.Contains(a.Action));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Id).Page(page, pageSize).ToListAsync(cancellationToken);
        return (items, total);
    }
}
