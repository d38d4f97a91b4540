using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace WebhookPortal.Features.Operations;

/// <summary>
/// The logging scope provider of the host's <see cref="ILoggerFactory"/>: every log line, whichever thread or request
/// writes it, carries the scope <c>InstanceName</c> = <see cref="PortalInstance.Name"/> ahead of its own scopes, so lines
/// of several instances can be told apart once collected. Providers that show scopes (JSON console with
/// <c>IncludeScopes</c>, OpenTelemetry) show it.
/// </summary>
/// <remarks>
/// Replacing the factory's provider also replaces the one that adds the current activity's ids (<c>SpanId</c>,
/// <c>TraceId</c>, <c>ParentId</c>, per <see cref="LoggerFactoryOptions.ActivityTrackingOptions"/>), so this one adds them too.
/// </remarks>
public sealed class InstanceLogScope(PortalInstance instance, IOptions<LoggerFactoryOptions> options) : IExternalScopeProvider
{
    /// <summary>The scope's property name.</summary>
    public const string Property = "InstanceName";

    private readonly LoggerExternalScopeProvider inner = new();
    private readonly Properties instanceScope = new([new(Property, instance.Name)]);
    private readonly ActivityTrackingOptions tracking = options.Value.ActivityTrackingOptions;

    /// <inheritdoc />
    public void ForEachScope<TState>(Action<object?, TState> callback, TState state)
    {
        callback(instanceScope, state);
        if (tracking != ActivityTrackingOptions.None && Activity.Current is { } activity)
        {
            callback(ActivityScope(activity), state);
        }

        inner.ForEachScope(callback, state);
    }

    /// <inheritdoc />
    public IDisposable Push(object? state) => inner.Push(state);

    private Properties ActivityScope(Activity activity)
    {
        var ids = new List<KeyValuePair<string, object?>>(3);
        if (tracking.HasFlag(ActivityTrackingOptions.SpanId))
        {
            ids.Add(new("SpanId", activity.SpanId.ToHexString()));
        }

        if (tracking.HasFlag(ActivityTrackingOptions.TraceId))
        {
            ids.Add(new("TraceId", activity.TraceId.ToHexString()));
        }

        if (tracking.HasFlag(ActivityTrackingOptions.ParentId))
        {
            ids.Add(new("ParentId", activity.ParentSpanId.ToHexString()));
        }

        return new Properties(ids);
    }

    // Structured for providers that read properties, "Name:value, …" for those that print scopes as text.
    private sealed class Properties(IReadOnlyList<KeyValuePair<string, object?>> items) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] => items[index];

        public int Count => items.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Join(", ", items.Select(p => $"{p.Key}:{p.Value}"));
    }
}
