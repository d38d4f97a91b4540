using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebhookPortal.Data;

/// <summary>Stores <see cref="DateTime"/> values as UTC and marks them <see cref="DateTimeKind.Utc"/> when read.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
