namespace WebhookPortal.Features.Clients;

/// <summary>Outcome of creating a client or rotating its secret.</summary>
/// <param name="Change">What happened.</param>
/// <param name="ClientSecret">
/// The new client secret in plain text when <paramref name="Change"/> is <see cref="ClientChange.Done"/> for a confidential
/// client; null otherwise. Show it once; it is stored only as a hash.
/// </param>
/// <param name="ExistingClientId">
/// When <paramref name="Change"/> is <see cref="ClientChange.Duplicate"/>: the Client ID as stored (it may differ in case
/// from the one asked for); otherwise null.
/// </param>
public sealed record ClientResult(ClientChange Change, string? ClientSecret = null, string? ExistingClientId = null);
