namespace WebhookPortal.Features.Api;

/// <summary>
/// The idempotency keys whose first request is running in this process. The portal is one process over one SQLite file,
/// so a process-wide set is enough to keep two requests with one key from both running.
/// </summary>
public sealed class IdempotencyKeysInFlight
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Scope, string Key), byte> running = new();

    /// <summary>Claims the key; false when a request with it is already running.</summary>
    public bool TryBegin(string scope, string key) => running.TryAdd((scope, key), 0);

    /// <summary>Releases a key claimed by <see cref="TryBegin"/>.</summary>
    public void End(string scope, string key) => running.TryRemove((scope, key), out _);
}
