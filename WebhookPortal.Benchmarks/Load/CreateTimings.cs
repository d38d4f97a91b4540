using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using WebhookPortal.Data;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>
/// The moments of a user creation the portal does not report, by user name (<see cref="Stopwatch"/> timestamps): when its
/// password hash ran (<see cref="TimedPasswordHasher"/>) and when its transaction had committed (the notifier's
/// <see cref="WebhookPortal.Features.Users.IUserEventNotifier.Wake"/>, which the user manager calls right after the commit
/// returns, before anything else). Scenario c splits each create, and each delivery's latency, at these.
/// </summary>
public sealed class CreateTimings
{
    private readonly ConcurrentDictionary<string, (long StartedAt, long Duration)> hashes = new();
    private readonly ConcurrentDictionary<string, long> committed = new();

    /// <summary>When the hash of <paramref name="userName"/>'s password started, and how long it took (ticks).</summary>
    public bool TryGetHash(string userName, out (long StartedAt, long Duration) hash) => hashes.TryGetValue(userName, out hash);

    /// <summary>When the transaction holding <paramref name="userName"/>'s last event (and its deliveries) had committed.</summary>
    public bool TryGetCommitted(string userName, out long at) => committed.TryGetValue(userName, out at);

    internal void Hashed(string userName, long startedAt, long duration) => hashes[userName] = (startedAt, duration);

    internal void Committed(string userName, long at) => committed[userName] = at;
}

/// <summary>Identity's own <see cref="PasswordHasher{TUser}"/>, timed per user: what the hash of a create costs.</summary>
internal sealed class TimedPasswordHasher(PasswordHasher<PortalUser> inner, CreateTimings timings) : IPasswordHasher<PortalUser>
{
    /// <inheritdoc />
    public string HashPassword(PortalUser user, string password)
    {
        var started = Stopwatch.GetTimestamp();
        var hash = inner.HashPassword(user, password);
        if (user.UserName is { } name)
        {
            timings.Hashed(name, started, Stopwatch.GetTimestamp() - started);
        }

        return hash;
    }

    /// <inheritdoc />
    public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword) =>
        inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
}
