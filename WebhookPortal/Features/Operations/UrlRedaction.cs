using System.Diagnostics;
using OpenTelemetry;

namespace WebhookPortal.Features.Operations;

/// <summary>
/// Takes secrets out of the URLs that the HTTP instrumentations put on spans, before any exporter reads them: an outgoing
/// request's <c>url.full</c> keeps only scheme, host and port (webhook URLs carry robot keys in their query and Slack,
/// Discord and Feishu tokens in their path), an incoming one loses its query, and <c>url.query</c> is dropped.
/// </summary>
public sealed class UrlRedaction : BaseProcessor<Activity>
{
    /// <summary>The OpenTelemetry attribute holding a request's absolute URL.</summary>
    public const string UrlFullTag = "url.full";

    /// <summary>The OpenTelemetry attribute holding a request's query.</summary>
    public const string UrlQueryTag = "url.query";

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem(UrlFullTag) is string full)
        {
            data.SetTag(UrlFullTag, Redact(full, keepPath: data.Kind != ActivityKind.Client));
        }

        if (data.GetTagItem(UrlQueryTag) is not null)
        {
            data.SetTag(UrlQueryTag, null);
        }
    }

    /// <summary>
    /// <paramref name="url"/> without user information, query and fragment, and without path unless <paramref name="keepPath"/>;
    /// "" when it does not parse.
    /// </summary>
    public static string Redact(string url, bool keepPath) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            // Authority, unlike GetLeftPart, leaves out user:password@.
            ? $"{uri.Scheme}://{uri.Authority}{(keepPath ? uri.AbsolutePath : "/")}"
            : "";
}
