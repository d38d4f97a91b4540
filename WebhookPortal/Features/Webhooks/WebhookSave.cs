namespace WebhookPortal.Features.Webhooks;

/// <summary>Outcome of a webhook change.</summary>
/// <param name="Webhook">The saved webhook (secrets encrypted) when <see cref="Succeeded"/>.</param>
/// <param name="NotFound">The client or webhook does not exist (any more).</param>
/// <param name="Error">Why the save was refused (a taken name, a refused address); null otherwise.</param>
/// <param name="Field">The field <see cref="Error"/> is about (JSON name), for per-field errors.</param>
/// <param name="Stale">Someone changed the webhook after the edit was loaded (<see cref="WebhookModel.Version"/>); nothing was saved.</param>
public sealed record WebhookSave(Webhook? Webhook, bool NotFound = false, string? Error = null, string? Field = null, bool Stale = false)
{
    public bool Succeeded => Webhook is not null;
}
