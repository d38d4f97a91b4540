namespace WebhookPortal.Features.Targets;

/// <summary>The wording the chat presets share, so that every kind reads the same for every action.</summary>
internal static class PresetText
{
    /// <summary>One headline for every action: "User zhangwei was created", "User zhangwei logged in".</summary>
    public const string Headline = "User {{$$.Name$$}} {{$$.ActionText$$}}";

    /// <summary>The headline, then email, Client ID and time, one a line; the newlines JSON-escaped, for inside a JSON string.</summary>
    public const string Lines = Headline + "\\nEmail: {{$$.Email$$}}\\nClient ID: {{$$.ClientID$$}}\\nTime: {{$$.OccurredAt$$}}";
}
