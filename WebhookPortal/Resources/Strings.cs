namespace WebhookPortal.Resources;

/// <summary>
/// Marker for the portal's one set of UI texts: <c>Resources/Strings.resx</c> (English, the default) and
/// <c>Resources/Strings.zh-CN.resx</c> (Simplified Chinese). Keys are the English text itself, so a key without a
/// translation still shows English; Chinese terms follow the DCE 5.0 documentation (全局管理 → 用户与访问控制 → 接入管理).
/// </summary>
public sealed class Strings;
