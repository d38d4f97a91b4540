using Microsoft.AspNetCore.Identity;

namespace WebhookPortal.Data;

/// <summary>A portal account: an administrator or a user whose lifecycle fires webhooks.</summary>
public sealed class PortalUser : IdentityUser
{
    /// <summary>Given name; at most 100 characters; empty when unset.</summary>
    public string FirstName { get; set; } = "";

    /// <summary>Family name; at most 100 characters; empty when unset.</summary>
    public string LastName { get; set; } = "";

    /// <summary>A disabled user cannot sign in; existing sessions end at the next security-stamp check.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When the account was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
