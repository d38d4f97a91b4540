using WebhookPortal.Features.Localization;

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

    /// <summary>
    /// What changed from this to <paramref name="after"/>, e.g. "Signing secret rotated; Secret header Authorization changed"
    /// (<see cref="MessageCodes.AuditSecrets"/>); null when nothing did.
    /// </summary>
    public CodedMessage? Describe(WebhookSecrets after)
    {
        var changes = new List<MessageArg>();
        Compare(Signing, after.Signing, new(MessageCodes.SigningSecretGenerated), new(MessageCodes.SigningSecretRotated), new(MessageCodes.SigningSecretRemoved), changes);
        Compare(Robot, after.Robot, new(MessageCodes.RobotSecretSet), new(MessageCodes.RobotSecretChanged), new(MessageCodes.RobotSecretRemoved), changes);
        foreach (var name in Headers.Keys.Union(after.Headers.Keys, StringComparer.OrdinalIgnoreCase))
        {
            Compare(Headers.GetValueOrDefault(name), after.Headers.GetValueOrDefault(name), new(MessageCodes.SecretHeaderAdded, name),
                new(MessageCodes.SecretHeaderChanged, name), new(MessageCodes.SecretHeaderRemoved, name), changes);
        }

        return changes.Count == 0 ? null : new CodedMessage(MessageCodes.AuditSecrets, MessageArg.OfList(changes, "; "));
    }

    private static void Compare(string? before, string? after, CodedMessage added, CodedMessage changed, CodedMessage removed, List<MessageArg> changes)
    {
        if (before == after)
        {
            return;
        }

        changes.Add(before is null ? added : after is null ? removed : changed);
    }
}
