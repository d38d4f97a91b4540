using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The SSRF guard refused a request; <see cref="Reason"/> says why (network.* codes, for the attempt log and the dialog),
/// <see cref="Exception.Message"/> says it in English (for logs).
/// </summary>
/// <param name="unresolved">The host did not resolve (rather than resolving to a refused address).</param>
public sealed class NetworkGuardException(CodedMessage reason, bool unresolved = false) : Exception(MessageText.English(reason))
{
    /// <summary>Why, as a code with its arguments.</summary>
    public CodedMessage Reason { get; } = reason;

    /// <summary>True when the host did not resolve, so nothing is known about where it points yet.</summary>
    public bool Unresolved { get; } = unresolved;
}
