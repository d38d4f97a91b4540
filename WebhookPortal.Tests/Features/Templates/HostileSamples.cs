using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Features.Templates;

/// <summary>Events whose values are chosen to break naive renderers.</summary>
internal static class HostileSamples
{
    public const string HostileName = "quote\" back\\slash {{$$.Name$$}}";
    public const string HostileEmail = "\"o'brien\"@例子.test";
    public const string HostileFirstName = "张伟\n第二行\t🎉";
    public const string HostileLastName = "ctrl\u0001 bell\u0007 }{ \"\\\"";
    public const string HostilePhone = "+86 138 0000 0000\r\n";

    public static readonly DateTime CreatedAt = new(2026, 11, 29, 9, 14, 41, DateTimeKind.Utc);
    public static readonly DateTime OccurredAt = new(2026, 11, 29, 9, 14, 42, DateTimeKind.Utc);
    public static readonly Guid EventId = Guid.Parse("0b6c0a8e-1f3d-4c55-9e0b-7d2f1a4c8e21");

    public static UserEvent HostileEvent(bool enabled = true, UserAction action = UserAction.Updated) => new(
        EventId,
        action,
        new UserSnapshot("3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13", HostileName, HostileEmail, HostileFirstName, HostileLastName, HostilePhone, enabled, CreatedAt),
        OccurredAt,
        "203.0.113.7",
        ["Email", "Phone"]);

    public static TemplateValues HostileValues(bool enabled = true) =>
        TemplateValues.For(HostileEvent(enabled), "wecom-alerts", "New users \"to\" WeCom");

    public static TemplateValues PlainValues(string userName = "zhangwei", string firstName = "Wei") => TemplateValues.For(
        new UserEvent(
            EventId,
            UserAction.Created,
            new UserSnapshot("3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13", userName, "zhangwei@example.com", firstName, "Zhang", "", true, CreatedAt),
            OccurredAt,
            null,
            []),
        "wecom-alerts",
        "New users");
}
