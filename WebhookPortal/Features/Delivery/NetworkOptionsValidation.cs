using Microsoft.Extensions.Options;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Refuses <see cref="NetworkOptions"/> with an <see cref="NetworkOptions.AllowedHosts"/> entry that cannot be read, naming
/// each such entry: an exception that silently matched nothing would leave the administrator wondering why a host is refused.
/// </summary>
internal sealed class NetworkOptionsValidation : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions options) => options.Unreadable() is { Count: > 0 } unreadable
        ? ValidateOptionsResult.Fail($"{NetworkOptions.Section}:AllowedHosts has entries that are neither a host name, an IP address nor a CIDR range: "
            + string.Join(", ", unreadable.Select(e => $"'{e}'")) + " (e.g. hooks.example.com, *.example.com, 10.20.0.5, 10.20.0.0/16).")
        : ValidateOptionsResult.Success;
}
