using MudBlazor;
using WebhookPortal.Features.Templates;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// Any HTTP endpoint, and every URL no other kind recognises: a 2xx answer is success, no signing of its own (the Standard
/// Webhooks signature is for every kind), no size or rate limits. Its preset is the default body.
/// </summary>
public sealed class GenericTarget : TargetDefinition
{
    public override WebhookTarget Target => WebhookTarget.Generic;

    public override string Label => "Generic JSON";

    public override string Icon => Icons.Material.Filled.Http;

    public override string ExampleUrl => "https://example.com/hooks/users";

    public override IReadOnlyList<WebhookPreset> Presets { get; } =
    [
        new("generic", "Generic JSON (default body)", WebhookTarget.Generic, TemplateRenderer.DefaultBody),
    ];
}
