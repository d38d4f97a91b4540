namespace WebhookPortal.Features.Clients;

/// <summary>Outcome of a client change.</summary>
public enum ClientChange
{
    Done,
    NotFound,
    /// <summary>Another client has that Client ID (Client IDs are not case-sensitive).</summary>
    Duplicate,
    /// <summary>A public client has no secret to rotate.</summary>
    NoSecret,
    /// <summary>Someone changed the client after the edit was loaded (<see cref="ClientModel.Version"/>); nothing was saved.</summary>
    Stale,
}
