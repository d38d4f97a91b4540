namespace WebhookPortal.Features.Webhooks;

/// <summary>The object a webhook watches (DCE 5.0: "Currently only supports the User object").</summary>
public enum WebhookObject
{
    User = 0,
}
