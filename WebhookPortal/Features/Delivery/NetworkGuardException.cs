namespace WebhookPortal.Features.Delivery;

/// <summary>The SSRF guard refused a request; <see cref="Exception.Message"/> says why, for the attempt log and the dialog.</summary>
/// <param name="unresolved">The host did not resolve (rather than resolving to a refused address).</param>
public sealed class NetworkGuardException(string message, bool unresolved = false) : Exception(message)
{
    /// <summary>True when the host did not resolve, so nothing is known about where it points yet.</summary>
    public bool Unresolved { get; } = unresolved;
}
