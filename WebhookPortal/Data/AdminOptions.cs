namespace WebhookPortal.Data;

/// <summary>The administrator created at first start (section <c>Admin</c>).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The role that guards every admin page.</summary>
    public const string Role = "Admin";

    public string UserName { get; set; } = "admin";
    public string Email { get; set; } = "admin@localhost";

    /// <summary>When empty, a strong password is generated and written to the log once, at first start.</summary>
    public string? Password { get; set; }
}
