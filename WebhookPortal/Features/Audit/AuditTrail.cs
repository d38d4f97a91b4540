using WebhookPortal.Data;

namespace WebhookPortal.Features.Audit;

/// <summary>Adds audit entries to the caller's <see cref="PortalDbContext"/>, so the entry commits or rolls back with the change.</summary>
public static class AuditTrail
{
    /// <summary>Adds one entry (saved by the caller's next <c>SaveChanges</c>).</summary>
    /// <param name="at">UTC.</param>
    /// <param name="details">Never a secret's value; cut to <see cref="AuditEntry.DetailsMaxLength"/> characters.</param>
    public static void Add(PortalDbContext db, AuditActor actor, DateTime at, string action, string subject, string? details = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            ActorId = actor.UserId,
            ActorName = actor.UserName,
            IpAddress = actor.IpAddress,
            Action = action,
            Subject = subject.Length <= 300 ? subject : subject[..300],
            Details = details is { Length: > AuditEntry.DetailsMaxLength } ? details[..AuditEntry.DetailsMaxLength] : details,
        });
}
