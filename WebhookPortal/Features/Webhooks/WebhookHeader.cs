namespace WebhookPortal.Features.Webhooks;

/// <summary>
/// One custom request header of a webhook. In a webhook <see cref="Value"/> is a template (variables allowed, rendered raw);
/// in a delivery it is the rendered text.
/// </summary>
/// <param name="Name">An RFC 9110 token (<c>!#$%&amp;'*+-.^_`|~</c>, digits, letters); not one of <see cref="WebhookHeaders.Reserved"/>.</param>
/// <param name="Value">Visible ASCII, spaces and non-ASCII text; never a control character (CR/LF would split the header).</param>
/// <param name="Secret">The value is a credential (an <c>Authorization</c> token): masked after saving and in the delivery log.</param>
public sealed record WebhookHeader(string Name, string Value, bool Secret = false);
