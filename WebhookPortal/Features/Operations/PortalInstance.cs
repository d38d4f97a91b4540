namespace WebhookPortal.Features.Operations;

/// <summary>
/// This process among the portal instances that share one database. One setting names it everywhere:
/// <c>Portal:InstanceName</c> (<see cref="NameSetting"/>, canonical), or the older <c>Webhooks:Delivery:InstanceId</c>
/// (<see cref="LegacyNameSetting"/>, still read when the first is unset), else the machine name and 12 hex digits of a
/// SHA-256 of the content root and the database (e.g. <c>web1-3f9a0c1b2d4e</c>), the same for every start of one
/// installation. The name appears in <c>/health</c>, in every log line's scope (<see cref="InstanceLogScope"/>), as the
/// OpenTelemetry resource's <c>service.instance.id</c> and in the dispatcher's delivery leases
/// (<see cref="Delivery.DeliveryOptions.InstanceId"/>, which is set from it): at most <see cref="NameMaxLength"/>
/// characters, no <c>/</c>, and different for processes sharing a database at the same time.
/// </summary>
/// <param name="Name">The instance's name.</param>
public sealed record PortalInstance(string Name)
{
    /// <summary>The setting that names the instance.</summary>
    public const string NameSetting = "Portal:InstanceName";

    /// <summary>The delivery setting that named the instance in leases before <see cref="NameSetting"/> named it everywhere.</summary>
    public const string LegacyNameSetting = "Webhooks:Delivery:InstanceId";

    /// <summary>Longest name, in characters, so a lease owner (name, process id and a random part) fits its column.</summary>
    public const int NameMaxLength = 40;

    /// <summary>The instance named by <paramref name="builder"/>'s configuration, or the default name of its installation.</summary>
    public static PortalInstance From(IHostApplicationBuilder builder)
    {
        foreach (var setting in new[] { NameSetting, LegacyNameSetting })
        {
            if (builder.Configuration[setting] is { } configured && !string.IsNullOrWhiteSpace(configured))
            {
                return new(configured.Trim());
            }
        }

        var database = Data.DataExtensions.DatabaseName(builder);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(builder.Environment.ContentRootPath + "\n" + database));
        var machine = new string([.. Environment.MachineName.Where(char.IsAsciiLetterOrDigit).Take(20)]);
        return new($"{(machine.Length > 0 ? machine : "portal")}-{Convert.ToHexStringLower(hash)[..12]}");
    }
}
