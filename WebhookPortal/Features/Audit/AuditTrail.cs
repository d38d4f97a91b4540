using System.Runtime.CompilerServices;
using WebhookPortal.Data;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Audit;

/// <summary>Adds audit entries to the caller's <see cref="PortalDbContext"/>, so the entry commits or rolls back with the change.</summary>
public static class AuditTrail
{
    // Preferred for a literal null details, which would otherwise match both overloads.

    /// <summary>Adds one entry (saved by the caller's next <c>SaveChanges</c>).</summary>
    /// <param name="at">UTC.</param>
    /// <param name="details">Never a secret's value; cut to <see cref="AuditEntry.DetailsMaxLength"/> characters.</param>
    [OverloadResolutionPriority(1)]
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

    /// <summary>
    /// Adds one entry whose details are a <see cref="CodedMessage"/> (audit.* codes), shown in each reader's language by
    /// <see cref="AuditText.Details"/>. Details too long to store whole are kept as English text, cut.
    /// </summary>
    /// <param name="at">UTC.</param>
    /// <param name="details">Never a secret's value.</param>
    public static void Add(PortalDbContext db, AuditActor actor, DateTime at, string action, string subject, CodedMessage details)
    {
        var stored = details.Serialize();
        Add(db, actor, at, action, subject, stored.Length <= AuditEntry.DetailsMaxLength ? stored : MessageText.English(details));
    }
}
