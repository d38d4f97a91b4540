namespace WebhookPortal.Features.Webhooks;

/// <summary>Registers what webhooks need besides their pages: the protector of their secrets.</summary>
public static class WebhooksExtensions
{
    /// <summary>Adds <see cref="SecretProtector"/> (Data Protection keys are set up with the database, in <c>AddPortalData</c>).</summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SecretProtector>();
        return builder;
    }
}
