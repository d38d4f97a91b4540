namespace WebhookPortal.Features.Targets;

/// <summary>A measured size against a platform's limit (<see cref="TargetDefinition.CheckSize"/>).</summary>
/// <param name="What">What was measured, in English and a resource key, e.g. "WeCom text content".</param>
/// <param name="Used">The size of the rendered message, in <paramref name="Unit"/>.</param>
/// <param name="Limit">The platform's maximum, in <paramref name="Unit"/>.</param>
/// <param name="Unit">"bytes" (UTF-8).</param>
public sealed record SizeCheck(string What, int Used, int Limit, string Unit)
{
    /// <summary>True when the platform would refuse the message.</summary>
    public bool Over => Used > Limit;

    /// <inheritdoc />
    public override string ToString() => $"{What}: {Used:N0} of {Limit:N0} {Unit}";

    /// <summary><see cref="ToString"/> in the current UI culture, e.g. "WeCom text content: 312 of 2,048 bytes".</summary>
    public string ToDisplayString() =>
        WebhookPortal.Resources.UiText.Format("{0}: {1:N0} of {2:N0} bytes", WebhookPortal.Resources.UiText.Get(What), Used, Limit);

    /// <summary>
    /// <paramref name="text"/>'s UTF-8 bytes against <paramref name="limit"/>: the platforms count bytes, not characters, so
    /// a Chinese character counts three.
    /// </summary>
    public static SizeCheck Utf8(TargetSizeLimit limit, string text) =>
        new(limit.What, System.Text.Encoding.UTF8.GetByteCount(text), limit.Bytes, "bytes");
}
