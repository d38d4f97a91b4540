using System.Data.Common;
using WebhookPortal.Data.Configurations;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Reads outbox rows by hand for the dispatcher's hot path (<see cref="DeliveryStore"/>): the columns in a fixed order and a
/// reader that builds <see cref="Delivery"/> from them, the same on SQLite and PostgreSQL. EF Core stores a Guid as upper-case
/// text and a time as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> text on SQLite, as uuid and timestamptz on PostgreSQL; the ADO.NET
/// readers of both parse these back, and every time is marked UTC as <see cref="Data.UtcDateTimeConverter"/> does.
/// </summary>
internal static class OutboxRows
{
    private static readonly string[] Delivery =
    [
        "Id", "WebhookId", "ClientId", "WebhookName", "EventId", "Action", "EventType", "UserId", "UserName", "Sequence", "Target",
        "Method", "Url", "Body", "Headers", "Status", "AttemptCount", "CreatedAt", "NextAttemptAt", "LeaseUntil", "LeaseOwner",
        "LastAttemptAt", "CompletedAt", "LastStatusCode", "LastError",
    ];

    private static readonly string[] WebhookSecrets = ["Id", "SigningSecret", "PreviousSigningSecret", "PreviousSigningSecretExpiresAt", "RobotSecret", "Enabled"];

    /// <summary>Every column of a delivery row, prefixed by table alias <paramref name="alias"/>, in the order <see cref="ReadDelivery"/> reads.</summary>
    public static string DeliveryColumns(string alias) => string.Join(", ", Delivery.Select(c => $"{alias}.\"{c}\""));

    /// <summary>The webhook columns the sender needs (its secrets), prefixed by <paramref name="alias"/>; read after <see cref="DeliveryColumns"/>.</summary>
    public static string WebhookSecretColumns(string alias) => string.Join(", ", WebhookSecrets.Select(c => $"{alias}.\"{c}\""));

    /// <summary>
    /// The delivery at the reader's current row; with <paramref name="withWebhookSecrets"/>, its <see cref="Delivery.Webhook"/>
    /// too (id, secrets, enabled; null when the delivery has no webhook), read from the columns that follow.
    /// </summary>
    public static Delivery ReadDelivery(DbDataReader reader, bool withWebhookSecrets)
    {
        var delivery = new Delivery
        {
            Id = reader.GetGuid(0),
            WebhookId = reader.IsDBNull(1) ? null : reader.GetInt32(1),
            ClientId = reader.GetString(2),
            WebhookName = reader.GetString(3),
            EventId = reader.GetGuid(4),
            Action = (UserAction)reader.GetInt32(5),
            EventType = reader.GetString(6),
            UserId = reader.GetString(7),
            UserName = reader.GetString(8),
            Sequence = reader.GetInt64(9),
            Target = (WebhookTarget)reader.GetInt32(10),
            Method = reader.GetString(11),
            Url = reader.GetString(12),
            Body = String(reader, 13),
            Headers = HeaderListConverter.Parse(String(reader, 14)),
            Status = (DeliveryStatus)reader.GetInt32(15),
            AttemptCount = reader.GetInt32(16),
            CreatedAt = Utc(reader, 17)!.Value,
            NextAttemptAt = Utc(reader, 18),
            LeaseUntil = Utc(reader, 19),
            LeaseOwner = String(reader, 20),
            LastAttemptAt = Utc(reader, 21),
            CompletedAt = Utc(reader, 22),
            LastStatusCode = reader.IsDBNull(23) ? null : reader.GetInt32(23),
            LastError = String(reader, 24),
        };
        const int webhook = 25;
        if (withWebhookSecrets && !reader.IsDBNull(webhook))
        {
            delivery.Webhook = new Webhook
            {
                Id = reader.GetInt32(webhook),
                SigningSecret = String(reader, webhook + 1),
                PreviousSigningSecret = String(reader, webhook + 2),
                PreviousSigningSecretExpiresAt = Utc(reader, webhook + 3),
                RobotSecret = String(reader, webhook + 4),
                Enabled = reader.GetBoolean(webhook + 5),
            };
        }

        return delivery;
    }

    private static string? String(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTime? Utc(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);
}
