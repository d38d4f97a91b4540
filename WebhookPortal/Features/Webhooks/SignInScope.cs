namespace WebhookPortal.Features.Webhooks;

/// <summary>Which sign-ins and sign-outs fire a webhook's login and logout actions.</summary>
public enum SignInScope
{
    /// <summary>Every sign-in: at the portal itself and through any client ID (single sign-on).</summary>
    AnyClient = 0,

    /// <summary>Only sign-ins and sign-outs through the webhook's own client ID.</summary>
    ThisClient = 1,
}
