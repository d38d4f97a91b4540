using Microsoft.Extensions.Options;
using WebhookPortal.Components;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Dashboard;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Health;
using WebhookPortal.Features.Inbox;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Operations;
using WebhookPortal.Features.Security;
using WebhookPortal.Features.Sso;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalTelemetry();
builder.AddPortalSecurity();
builder.AddPortalLocalization();
builder.AddPortalData();
builder.AddPostgreSqlNotifications();
builder.AddAudit();
builder.AddUsers();
builder.AddWebhooks();
builder.AddDelivery();
builder.AddInbox();
builder.AddPortalHealth();
builder.AddPortalUi();
builder.AddClients();
builder.AddSso();
builder.AddDashboard();
builder.AddApi();

var app = builder.Build();

app.UsePortalSecurityHeaders();
// Localization first, so the API's problems (status pages, exception handler) speak the request's language too.
app.UsePortalLocalization();
app.UseApiProblems();
// Explicitly here, after the middleware above, so that 401s and sign-in redirects carry the security headers and API problems.
app.UseRouting();
app.UseSsoRateLimits();
app.UseAuthentication();
app.UseAuthorization();
app.MapInbox();
app.MapPortalHealth();
app.MapPortalTelemetry();
app.MapSso();
app.MapPortalUi();

var api = app.MapApi();
api.MapClientsApi();
api.MapWebhooksApi();
api.MapUsersApi();
api.MapDeliveriesApi();
api.MapCatalogueApi();

try
{
    app.Run();
}
catch (OptionsValidationException ex)
{
    // A setting that cannot be read stops start-up with its message and exit code 1, not an unhandled-exception abort.
    Console.Error.WriteLine($"WebhookPortal did not start: {ex.Message}");
    return 1;
}

return 0;

/// <summary>The web application; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
