using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Api;

/// <summary>
/// The idempotency keys whose first request is running, so two requests with one key never both run. On SQLite (one
/// instance) a process-wide set is enough. On PostgreSQL the key is also held in the database for the request's duration,
/// as a transaction-level advisory lock (<c>pg_try_advisory_xact_lock</c> in the key space <see cref="LockClass"/>, on
/// <c>hashtext</c> of scope and key) on a connection of its own, so a request on another instance sharing the database
/// meets it too; the lock ends with the transaction, or with the connection if the instance dies.
/// </summary>
public sealed class IdempotencyKeysInFlight(IDbContextFactory<PortalDbContext> dbFactory, IConfiguration configuration, ILogger<IdempotencyKeysInFlight> logger)
{
    /// <summary>The first of the two 32-bit advisory lock keys ("Idem"); two-key locks never meet the portal's one-key locks.</summary>
    internal const int LockClass = 0x4964_656D;

    private readonly ConcurrentDictionary<(string Scope, string Key), byte> running = new();
    private readonly ILogger logger = logger;
    private readonly bool shared = configuration.IsPostgreSql();

    /// <summary>
    /// Claims the key for the caller, who disposes the claim once the request has been answered (and its answer stored);
    /// null when a request with the key is already running here or, on PostgreSQL, on another instance. Database errors are thrown.
    /// </summary>
    public async ValueTask<IAsyncDisposable?> TryBeginAsync(string scope, string key, CancellationToken cancellationToken)
    {
        if (!running.TryAdd((scope, key), 0))
        {
            return null;
        }

        if (!shared)
        {
            return NewClaim(null, null, scope, key);
        }

        PortalDbContext? db = null;
        IDbContextTransaction? transaction = null;
        try
        {
            db = await dbFactory.CreateDbContextAsync(cancellationToken);
            transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var name = scope + "\n" + key;
            var held = (await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockClass}, hashtext({name})) AS \"Value\"")
                .ToListAsync(cancellationToken)).Single();
            if (!held)
            {
                await NewClaim(db, transaction, scope, key).DisposeAsync();
                return null;
            }

            return NewClaim(db, transaction, scope, key);
        }
        catch
        {
            await NewClaim(db, transaction, scope, key).DisposeAsync();
            throw;
        }
    }

    private Claim NewClaim(PortalDbContext? db, IDbContextTransaction? transaction, string scope, string key) => new(this, db, transaction, scope, key);

    private sealed class Claim(IdempotencyKeysInFlight owner, PortalDbContext? db, IDbContextTransaction? transaction, string scope, string key) : IAsyncDisposable
    {
        private int disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1)
            {
                return;
            }

            try
            {
                if (transaction is not null)
                {
                    // Rolling back ends the lock; the transaction wrote nothing.
                    await transaction.RollbackAsync(CancellationToken.None);
                    await transaction.DisposeAsync();
                }
            }
            catch (Exception ex)
            {
                // A broken connection ends its locks by itself.
                owner.logger.LogWarning(ex, "Releasing the database lock of an idempotency key of scope {Scope} failed", scope);
            }
            finally
            {
                if (db is not null)
                {
                    await db.DisposeAsync();
                }

                owner.running.TryRemove((scope, key), out _);
            }
        }
    }
}
