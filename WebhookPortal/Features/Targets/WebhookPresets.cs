namespace WebhookPortal.Features.Targets;

/// <summary>
/// The Message Body presets of every kind (<see cref="TargetDefinition.Presets"/>), each in the smallest shape its platform
/// documents. Every preset renders to valid JSON for every action (tested).
/// </summary>
public static class WebhookPresets
{
    /// <summary>Every preset: Generic JSON first, then each kind's in the order of <see cref="WebhookTarget"/>.</summary>
    public static readonly IReadOnlyList<WebhookPreset> All = [.. WebhookTargets.All.SelectMany(d => d.Presets)];

    /// <summary>The preset a webhook of <paramref name="target"/> starts from (its kind's first); Generic JSON for Generic.</summary>
    public static WebhookPreset For(WebhookTarget target) => WebhookTargets.For(target).Presets[0];

    /// <summary>The preset with <paramref name="id"/>, or null.</summary>
    public static WebhookPreset? Find(string id) => All.FirstOrDefault(p => p.Id == id);
}
