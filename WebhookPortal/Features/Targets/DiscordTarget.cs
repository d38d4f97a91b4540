using System.Text.Json;
using System.Text.RegularExpressions;
using MudBlazor;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// Discord webhook, as Discord's execute-webhook docs describe it: <c>POST https://discord.com/api/webhooks/ID/TOKEN</c>;
/// success is 204 No Content, or 200 with the message when <c>?wait=true</c>; rate limits are per route and answered with
/// 429 and <c>{"retry_after": seconds}</c> (Discord rate-limit docs).
/// </summary>
public sealed partial class DiscordTarget : TargetDefinition
{
    public override WebhookTarget Target => WebhookTarget.Discord;

    public override string Label => "Discord";

    public override string Icon => Icons.Custom.Brands.Discord;

    public override Uri Documentation { get; } = new("https://discord.com/developers/docs/resources/webhook#execute-webhook");

    public override string ExampleUrl => "https://discord.com/api/webhooks/123456789/TOKEN";

    public override IReadOnlyList<WebhookPreset> Presets { get; } =
    [
        // allowed_mentions with no parse types: a user named "@everyone" must not ping the whole server.
        new("discord", "Discord", WebhookTarget.Discord, $$$"""
            {
              "content": "{{{PresetText.Lines}}}",
              "allowed_mentions": { "parse": [] }
            }
            """),
    ];

    public override IReadOnlyList<string> Hosts { get; } = ["discord.com", "discordapp.com"];

    /// <summary>A webhook URL only: the same hosts serve the whole Discord API and web app.</summary>
    public override bool Matches(Uri url) =>
        base.Matches(url) && url.AbsolutePath.StartsWith("/api/webhooks/", StringComparison.OrdinalIgnoreCase);

    public override string MaskPath(string url) => WebhookToken().Replace(url, "$1…");

    public override string SuccessRule => "HTTP 2xx (204 No Content, or 200 with the message when `?wait=true`)";

    /// <summary>The <c>retry_after</c> of a 429 body, seconds as a float: more precise than the Retry-After header.</summary>
    public override TimeSpan? RetryAfterInBody(int status, string? body)
    {
        if (status != 429 || string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("retry_after", out var element)
                && element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var seconds) && seconds is >= 0 and < 1e9
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(/api/webhooks/\d+/)[^/?#]+", RegexOptions.IgnoreCase)]
    private static partial Regex WebhookToken();
}
