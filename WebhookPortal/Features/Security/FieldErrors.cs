namespace WebhookPortal.Features.Security;

/// <summary>Collects a model's validation messages per field, for the API's 400 problem details and the dialogs alike.</summary>
public static class FieldErrors
{
    /// <summary>The fields of <paramref name="fields"/> that have errors, in order; empty when all are valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Of(params (string Field, IEnumerable<string> Errors)[] fields)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in fields)
        {
            var list = messages.ToArray();
            if (list.Length > 0)
            {
                errors[field] = errors.TryGetValue(field, out var earlier) ? [.. earlier, .. list] : list;
            }
        }

        return errors;
    }
}
