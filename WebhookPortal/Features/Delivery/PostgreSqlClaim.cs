using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// <see cref="DeliveryDispatcher.ClaimAsync"/>'s two statements in PostgreSQL's dialect (used when
/// <see cref="DatabaseProvider.IsPostgreSql"/>): the same candidates and the same lease, with the derived tables named
/// (PostgreSQL 15 requires it), an id array instead of SQLite's <c>json_each</c>, and <c>FOR UPDATE SKIP LOCKED</c>, so
/// instances claiming at the same moment pass over each other's rows instead of queueing behind them. Each webhook's few
/// oldest due deliveries come from a LATERAL subquery: PostgreSQL runs a correlated <c>IN (… LIMIT n)</c> once for every
/// row of the table instead, so a claim grew with the whole table (history included) times the webhooks.
/// </summary>
internal static class PostgreSqlClaim
{
    /// <summary>The due deliveries that may be claimed, oldest due first; see the SQLite statement in the dispatcher for the rules.</summary>
    public static Task<List<ClaimCandidate>> CandidatesAsync(PortalDbContext db, DateTime now, int perWebhook, int limit, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<ClaimCandidate>($"""
            SELECT "Id", "WebhookId", "NextAttemptAt" FROM (
                SELECT d."Id", d."WebhookId", d."NextAttemptAt"
                FROM "Webhooks" AS w
                CROSS JOIN LATERAL (
                    SELECT p."Id", p."WebhookId", p."NextAttemptAt" FROM "Deliveries" AS p
                    WHERE p."WebhookId" = w."Id" AND p."Status" = {(int)DeliveryStatus.Pending} AND p."NextAttemptAt" <= {now}
                      AND (p."LeaseUntil" IS NULL OR p."LeaseUntil" < {now})
                      AND (NOT w."OrderedPerUser" OR (
                        NOT EXISTS (
                          SELECT 1 FROM "Deliveries" AS e
                          WHERE e."WebhookId" = p."WebhookId" AND e."UserId" = p."UserId" AND e."Status" = {(int)DeliveryStatus.Pending}
                            AND e."Sequence" <= p."Sequence" AND e."Id" <> p."Id" AND (e."Sequence" < p."Sequence" OR e."Id" < p."Id"))
                        AND NOT EXISTS (
                          SELECT 1 FROM "Deliveries" AS f
                          WHERE f."WebhookId" = p."WebhookId" AND f."UserId" = p."UserId" AND f."Status" = {(int)DeliveryStatus.Pending}
                            AND f."Sequence" >= p."Sequence" AND f."LeaseUntil" >= {now})))
                    ORDER BY p."NextAttemptAt" LIMIT {perWebhook}) AS d
                WHERE w."Enabled"
                UNION ALL
                SELECT * FROM (
                    SELECT p."Id", p."WebhookId", p."NextAttemptAt" FROM "Deliveries" AS p
                    WHERE p."WebhookId" IS NULL AND p."Status" = {(int)DeliveryStatus.Pending} AND p."NextAttemptAt" <= {now}
                      AND (p."LeaseUntil" IS NULL OR p."LeaseUntil" < {now})
                    ORDER BY p."NextAttemptAt" LIMIT {limit}) AS unowned) AS candidates
            ORDER BY "NextAttemptAt" LIMIT {limit}
            """).ToListAsync(cancellationToken);

    /// <summary>
    /// Leases those of <paramref name="due"/> still pending and unleased to <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>; a row another instance is leasing right now is skipped, not waited for.
    /// </summary>
    public static Task<int> LeaseAsync(PortalDbContext db, Guid[] due, DateTime leaseUntil, string owner, DateTime now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "LeaseUntil" = {leaseUntil}, "LeaseOwner" = {owner}
            WHERE "Id" IN (
                SELECT "Id" FROM "Deliveries"
                WHERE "Id" = ANY({due}) AND "Status" = {(int)DeliveryStatus.Pending} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                FOR UPDATE SKIP LOCKED)
            """, cancellationToken);
}
