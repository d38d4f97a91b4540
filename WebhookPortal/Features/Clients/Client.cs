namespace WebhookPortal.Features.Clients;

/// <summary>A system integrated through the Docking Portal, identified by its <see cref="ClientId"/>.</summary>
public sealed class Client
{
    /// <summary>Longest description accepted, in characters.</summary>
    public const int DescriptionMaxLength = 500;

    public int Id { get; set; }

    /// <summary>Unique regardless of case; 3–64 characters of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Free text shown in the Docking Portal; at most <see cref="DescriptionMaxLength"/> characters.</summary>
    public string Description { get; set; } = "";

    /// <summary>When the client was registered (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The OpenID Connect application that makes this client a single sign-on client (display name, type, secret hash,
    /// redirect URIs); its <c>ClientId</c> equals <see cref="ClientId"/>. Null only for a client registered before single
    /// sign-on existed, until start-up creates its application.
    /// </summary>
    public string? ApplicationId { get; set; }

    public OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication? Application { get; set; }

    public List<Webhooks.Webhook> Webhooks { get; set; } = [];

    /// <summary>
    /// Counts the edits of the client (its row and its application's display name and URIs), starting at 0; a concurrency
    /// token, so an edit made from an older version is refused. The API's <c>ETag</c> is derived from it.
    /// </summary>
    public int Version { get; set; }
}
