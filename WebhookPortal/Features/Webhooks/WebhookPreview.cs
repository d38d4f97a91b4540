using System.Text;
using System.Text.Json;
using WebhookPortal.Common;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Webhooks;

/// <summary>
/// The request a webhook would send for the sample user (<see cref="TemplateSamples.Friendly"/>), as the dialog's live
/// preview shows it.
/// </summary>
/// <param name="Method">Upper-case HTTP method.</param>
/// <param name="Url">The final URL with values percent-encoded; the template as typed when it cannot render.</param>
/// <param name="Headers">Custom headers (secret values masked) and then the ones the portal adds.</param>
/// <param name="Body">The body pretty-printed (non-ASCII kept), or null for GET or when it cannot render.</param>
/// <param name="BodyBytes">UTF-8 bytes of the body as sent (not as pretty-printed); 0 without a body.</param>
/// <param name="Size">The target's size limit measured on the body as sent, when the target has one.</param>
/// <param name="Errors">Why parts could not render; empty when the preview is complete.</param>
public sealed record WebhookPreview(
    string Method, string Url, IReadOnlyList<WebhookHeader> Headers, string? Body, int BodyBytes, SizeCheck? Size, IReadOnlyList<string> Errors)
{
    /// <summary>The mask shown instead of secret values.</summary>
    public const string Masked = "••••••";

    /// <summary>
    /// Previews <paramref name="model"/> for a sample event of <paramref name="action"/> (one action), as a webhook of client
    /// <paramref name="clientId"/> sends it (<see cref="TemplateSamples.ClientId"/> when there is none yet). Never throws.
    /// </summary>
    public static WebhookPreview Build(WebhookModel model, UserAction action, string? clientId = null)
    {
        var sample = TemplateSamples.Friendly(action);
        var values = TemplateValues.For(sample, string.IsNullOrWhiteSpace(clientId) ? TemplateSamples.ClientId : clientId,
            string.IsNullOrWhiteSpace(model.Name) ? "Sample webhook" : model.Name.Trim());
        var errors = new List<string>();
        var method = (model.Method ?? "POST").ToUpperInvariant();
        var target = WebhookTargets.For(model.EffectiveTarget);
        var timestamp = new DateTimeOffset(sample.OccurredAt);

        var url = model.Url?.Trim() ?? "";
        try
        {
            url = TemplateRenderer.RenderUrl(url, values);
        }
        catch (TemplateException ex)
        {
            errors.AddRange(ex.Errors.Select(e => UiText.Format("URL: {0}", e.Message)));
        }

        var hasRobotSecret = !string.IsNullOrWhiteSpace(model.RobotSecret);
        if (hasRobotSecret)
        {
            url = target.PreviewSignedUrl(url, timestamp, Masked);
        }

        string? sent = null;
        string? pretty = null;
        if (WebhookMethods.HasBody(method))
        {
            try
            {
                sent = TemplateRenderer.RenderBody(model.Body, values);
                using (JsonDocument.Parse(sent))
                {
                }

                // A robot signature is computed for each attempt; the preview shows where it goes, its value masked.
                pretty = JsonText.Pretty(hasRobotSecret ? target.PreviewSignedBody(sent, timestamp, Masked) : sent);
            }
            catch (TemplateException ex)
            {
                errors.AddRange(ex.Errors.Select(e => UiText.Format("Message Body: {0}", e)));
            }
            catch (JsonException ex)
            {
                errors.Add(UiText.Format("Message Body is not valid JSON: {0}", TemplateValidator.DescribeJsonError(ex.Message)));
                pretty = sent;
            }
        }

        var headers = new List<WebhookHeader>();
        foreach (var header in model.Headers.Where(h => h.Name.Trim().Length > 0))
        {
            try
            {
                headers.Add(new WebhookHeader(header.Name.Trim(),
                    header.Secret ? Masked : TemplateRenderer.RenderHeaderValue(header.Value, values), header.Secret));
            }
            catch (TemplateException ex)
            {
                errors.AddRange(ex.Errors.Select(e => UiText.Format("Header {0}: {1}", header.Name.Trim(), e.Message)));
            }
        }

        if (sent is not null)
        {
            headers.Add(new WebhookHeader("Content-Type", "application/json; charset=utf-8"));
        }

        var delivery = new Delivery.Delivery { Id = Guid.Parse("019acf3e-0b6c-7a8e-9c1d-2a7e6f0b9d13"), EventType = action.EventType(), Sequence = sample.Sequence };
        headers.AddRange(WebhookSender.Headers(delivery, timestamp).Select(h => new WebhookHeader(h.Name, h.Value)));
        var signing = (model.NewSigningSecret is not null || model.HasSigningSecret) && !(model.RemoveSigningSecret && model.NewSigningSecret is null);
        if (signing)
        {
            headers.Add(new WebhookHeader("webhook-signature", "v1," + Masked, Secret: true));
        }

        return new WebhookPreview(method, url, headers, pretty, sent is null ? 0 : Encoding.UTF8.GetByteCount(sent),
            sent is null ? null : target.CheckSize(sent), errors);
    }
}
