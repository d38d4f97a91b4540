namespace WebhookPortal.Features.Webhooks;

/// <summary>The secrets of a webhook at one moment, to say in the audit log which changed without recording any value.</summary>
/// <param name="Signing">The signing secret.</param>
/// <param name="Robot">The DingTalk/Feishu robot secret.</param>
/// <param name="Headers">Secret header names and values.</param>
public sealed record WebhookSecrets(string? Signing, string? Robot, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The secrets <paramref name="webhook"/> holds now.</summary>
    public static WebhookSecrets Of(Webhook webhook) => new(webhook.SigningSecret, webhook.RobotSecret,
        webhook.Headers.Where(h => h.Secret).GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>What changed from this to <paramref name="after"/>, e.g. "Signing secret rotated; header Authorization changed"; empty when nothing did.</summary>
    public string Describe(WebhookSecrets after)
    {
        var changes = new List<string>();
        Compare("Signing secret", Signing, after.Signing, "generated", "rotated", changes);
        Compare("Robot secret", Robot, after.Robot, "set", "changed", changes);
        foreach (var name in Headers.Keys.Union(after.Headers.Keys, StringComparer.OrdinalIgnoreCase))
        {
            Compare($"Secret header {name}", Headers.GetValueOrDefault(name), after.Headers.GetValueOrDefault(name), "added", "changed", changes);
        }

        return string.Join("; ", changes);
    }

    private static void Compare(string what, string? before, string? after, string added, string changed, List<string> changes)
    {
        if (before == after)
        {
            return;
        }

        changes.Add(before is null ? $"{what} {added}" : after is null ? $"{what} removed" : $"{what} {changed}");
    }
}
