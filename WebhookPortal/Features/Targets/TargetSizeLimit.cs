namespace WebhookPortal.Features.Targets;

/// <summary>A size over which a platform refuses a message.</summary>
/// <param name="What">What is measured, in English and a resource key, e.g. "WeCom text content" or "DingTalk message" (the whole body).</param>
/// <param name="Bytes">The largest size accepted, in UTF-8 bytes.</param>
public sealed record TargetSizeLimit(string What, int Bytes);
