namespace WebhookPortal.Features.Operations;

/// <summary>
/// This process among the portal instances that share one database: its name (<c>Portal:InstanceName</c>, else the machine
/// name and the process id, e.g. <c>web-1-4711</c>) appears in <c>/health</c>, in every log line's scope
/// (<see cref="InstanceLogScope"/>) and as the OpenTelemetry resource's <c>service.instance.id</c>.
/// </summary>
/// <param name="Name">The instance's name; free text, not an identifier that anything is keyed on.</param>
public sealed record PortalInstance(string Name)
{
    /// <summary>The setting that names the instance.</summary>
    public const string NameSetting = "Portal:InstanceName";

    /// <summary>The instance named by <paramref name="configuration"/>, or the default name.</summary>
    public static PortalInstance From(IConfiguration configuration) =>
        new(configuration[NameSetting] is { } configured && !string.IsNullOrWhiteSpace(configured)
            ? configured.Trim()
            : $"{Environment.MachineName}-{Environment.ProcessId}");
}
