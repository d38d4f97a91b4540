namespace WebhookPortal.Features.Targets;

/// <summary>A ready Message Body for one kind of receiver.</summary>
/// <param name="Id">Stable identifier, e.g. <c>wecom-text</c>.</param>
/// <param name="Label">What the preset menu shows, in English; also its resource key, e.g. "WeCom text".</param>
/// <param name="Target">The receiver the body is shaped for.</param>
/// <param name="Template">The body template; reads well for every action through <c>{{$$.ActionText$$}}</c>.</param>
public sealed record WebhookPreset(string Id, string Label, WebhookTarget Target, string Template);
