using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Templates;

/// <summary>A ready Message Body for one kind of receiver.</summary>
/// <param name="Id">Stable identifier, e.g. <c>wecom-text</c>.</param>
/// <param name="Label">What the preset menu shows, e.g. "WeCom text".</param>
/// <param name="Target">The receiver the body is shaped for.</param>
/// <param name="Template">The body template; reads well for every action through <c>{{$$.ActionText$$}}</c>.</param>
public sealed record WebhookPreset(string Id, string Label, WebhookTarget Target, string Template);

/// <summary>
/// The Message Body presets (issue 3 §2), each in the smallest shape its platform documents
/// (<c>shared/reference/targets.md</c>): WeCom and DingTalk <c>msgtype</c>, Feishu <c>msg_type</c>, Slack and Discord
/// text, a Teams Adaptive Card. Every preset renders to valid JSON for every action (tested).
/// </summary>
public static class WebhookPresets
{
    // One headline for every action: "User zhangwei was created", "User zhangwei logged in".
    private const string Headline = "User {{$$.Name$$}} {{$$.ActionText$$}}";
    private const string Lines = Headline + "\\nEmail: {{$$.Email$$}}\\nClient ID: {{$$.ClientID$$}}\\nTime: {{$$.OccurredAt$$}}";

    /// <summary>Every preset, Generic JSON first, then in the order of <see cref="WebhookTarget"/>.</summary>
    public static readonly IReadOnlyList<WebhookPreset> All =
    [
        new("generic", "Generic JSON (default body)", WebhookTarget.Generic, TemplateRenderer.DefaultBody),
        new("wecom-text", "WeCom text", WebhookTarget.WeCom, $$$"""
            {
              "msgtype": "text",
              "text": {
                "content": "{{{Lines}}}"
              }
            }
            """),
        new("wecom-markdown", "WeCom markdown", WebhookTarget.WeCom, $$$"""
            {
              "msgtype": "markdown",
              "markdown": {
                "content": "**{{{Headline}}}**\n> Email: {{$$.Email$$}}\n> Client ID: {{$$.ClientID$$}}\n> Time: <font color=\"comment\">{{$$.OccurredAt$$}}</font>"
              }
            }
            """),
        new("dingtalk-text", "DingTalk text", WebhookTarget.DingTalk, $$$"""
            {
              "msgtype": "text",
              "text": {
                "content": "{{{Lines}}}"
              },
              "at": {
                "isAtAll": false
              }
            }
            """),
        new("feishu-text", "Feishu / Lark text", WebhookTarget.Feishu, $$$"""
            {
              "msg_type": "text",
              "content": {
                "text": "{{{Lines}}}"
              }
            }
            """),
        new("slack", "Slack", WebhookTarget.Slack, $$$"""
            {
              "text": "{{{Lines}}}"
            }
            """),
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
                      { "type": "TextBlock", "text": "{{{Headline}}}", "weight": "Bolder", "wrap": true },
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
        // allowed_mentions with no parse types: a user named "@everyone" must not ping the whole server.
        new("discord", "Discord", WebhookTarget.Discord, $$$"""
            {
              "content": "{{{Lines}}}",
              "allowed_mentions": { "parse": [] }
            }
            """),
    ];

    /// <summary>The preset a new webhook of <paramref name="target"/> starts from (its first); Generic JSON for Generic.</summary>
    public static WebhookPreset For(WebhookTarget target) => All.FirstOrDefault(p => p.Target == target) ?? All[0];

    /// <summary>The preset with <paramref name="id"/>, or null.</summary>
    public static WebhookPreset? Find(string id) => All.FirstOrDefault(p => p.Id == id);
}
