using MudBlazor;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// Microsoft Teams incoming webhook through Workflows (Power Automate), as the Teams incoming webhook docs describe it: the
/// flow's URL on <c>*.logic.azure.com</c> or <c>*.environment.api.powerplatform.com</c>, its <c>sig</c> query value the
/// credential; it answers 202 Accepted (the flow may still fail later), and takes an Adaptive Card.
/// </summary>
public sealed class TeamsTarget : TargetDefinition
{
    public override WebhookTarget Target => WebhookTarget.Teams;

    public override string Label => "Microsoft Teams";

    public override string Icon => Icons.Material.Filled.Groups;

    public override Uri Documentation { get; } =
        new("https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook");

    public override string ExampleUrl =>
        "https://prod-00.westus.logic.azure.com/workflows/ID/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIG";

    public override IReadOnlyList<WebhookPreset> Presets { get; } =
    [
        new("teams", "Microsoft Teams (Adaptive Card)", WebhookTarget.Teams, $$$"""
            {
              "type": "message",
              "attachments": [
                {
                  "contentType": "application/vnd.microsoft.card.adaptive",
                  "contentUrl": null,
                  "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                      { "type": "TextBlock", "text": "{{{PresetText.Headline}}}", "weight": "Bolder", "wrap": true },
                      {
                        "type": "FactSet",
                        "facts": [
                          { "title": "Email", "value": "{{$$.Email$$}}" },
                          { "title": "Client ID", "value": "{{$$.ClientID$$}}" },
                          { "title": "Time", "value": "{{$$.OccurredAt$$}}" }
                        ]
                      }
                    ]
                  }
                }
              ]
            }
            """),
    ];

    public override IReadOnlyList<string> Hosts { get; } = ["*.logic.azure.com", "*.environment.api.powerplatform.com"];

    public override string SuccessRule => "HTTP 2xx (Workflows answers 202 Accepted: the flow may still fail later)";
}
