namespace WebhookPortal.Features.Webhooks;

/// <summary>The HTTP methods a webhook may use.</summary>
public static class WebhookMethods
{
    public static readonly IReadOnlyList<string> All = ["POST", "GET", "PUT", "PATCH", "DELETE"];

    /// <summary>True for methods that carry the rendered body (every one but GET).</summary>
    public static bool HasBody(string method) => !string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase);
}
