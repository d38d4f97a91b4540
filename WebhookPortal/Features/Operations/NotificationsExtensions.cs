using Microsoft.Extensions.DependencyInjection.Extensions;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Inbox;

namespace WebhookPortal.Features.Operations;

/// <summary>Registers what carries wake-ups and page refreshes between instances on one database.</summary>
public static class NotificationsExtensions
{
    /// <summary>
    /// On PostgreSQL (<see cref="DatabaseProvider"/>), adds <see cref="PostgreSqlNotifications"/> as a singleton and a hosted
    /// service on <c>ConnectionStrings:Portal</c>; on SQLite (one instance) nothing. Call before the dispatcher is added, so it
    /// starts before the dispatcher and stops after it, sending the dispatcher's last notifications.
    /// </summary>
    public static IHostApplicationBuilder AddPostgreSqlNotifications(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.IsPostgreSql())
        {
            return builder;
        }

        var connectionString = builder.Configuration.GetConnectionString("Portal")
            ?? throw new InvalidOperationException($"{DatabaseProvider.Section} is {DatabaseProvider.PostgreSql} but ConnectionStrings:Portal is not set.");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new PostgreSqlNotifications(
            connectionString, sp.GetRequiredService<DeliverySignal>(), sp.GetRequiredService<DeliveryFeed>(), sp.GetRequiredService<InboxFeed>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgreSqlNotifications>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgreSqlNotifications>());
        return builder;
    }
}
