namespace WebhookPortal.Features.Webhooks;

/// <summary>Registers what webhooks need besides their pages: the protector of their secrets, their save rules and their API.</summary>
public static class WebhooksExtensions
{
    /// <summary>
    /// Adds <see cref="SecretProtector"/> (Data Protection keys are set up with the database, in <c>AddPortalData</c>) and
    /// <see cref="WebhookAdministration"/>.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddSingleton<WebhookAdministration>();
        return builder;
    }

    /// <summary>
    /// Maps <c>/api/v1/clients/{clientId}/webhooks</c>: list, get, create, update, delete, enable, disable, test and rotate-secret.
    /// </summary>
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        WebhooksApi.Map(api);
        return api;
    }
}
