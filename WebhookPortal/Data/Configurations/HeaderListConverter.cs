using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Data.Configurations;

/// <summary>Stores a header list as one JSON text column: <c>[{"Name":"…","Value":"…"}]</c>; an empty list as <c>[]</c>.</summary>
internal sealed class HeaderListConverter() : ValueConverter<List<WebhookHeader>, string>(
    headers => JsonSerializer.Serialize(headers, JsonOptions),
    json => Parse(json))
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.General);

    /// <summary>The list stored as <paramref name="json"/>; empty for null, empty text or <c>[]</c>.</summary>
    public static List<WebhookHeader> Parse(string? json) =>
        string.IsNullOrEmpty(json) || json == "[]" ? [] : JsonSerializer.Deserialize<List<WebhookHeader>>(json, JsonOptions) ?? [];

    /// <summary>Compares lists by content, so replacing a row marks the column modified and an unchanged list does not.</summary>
    public static readonly ValueComparer<List<WebhookHeader>> Comparer = new(
        (a, b) => (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b)),
        list => list.Aggregate(0, (hash, header) => HashCode.Combine(hash, header)),
        list => list.ToList());
}
