using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Webhooks;

/// <summary>
/// Enabling an enabled webhook or disabling a disabled one, through the API or as the client page does, answers as usual
/// but writes nothing: no audit entry, the same UpdatedAt, and an automatic disable keeps its reason.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class WebhookEnableNoOpTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly AuditActor Admin = new("admin-id", "admin", "203.0.113.9");

    private ApiClient api = null!;

    public async Task InitializeAsync() => api = await ApiClient.ForAsync(factory);

    public Task DisposeAsync()
    {
        api.Dispose();
        return Task.CompletedTask;
    }

    private WebhookAdministration Webhooks => factory.Services.GetRequiredService<WebhookAdministration>();

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, null)]
    [InlineData(false, "Disabled on 2026-11-29 10:00 UTC: the receiver failed 10 times")]
    public async Task Setting_the_state_a_webhook_already_has_writes_nothing(bool enabled, string? reason)
    {
        var clientId = PortalData.UniqueName("noop");
        var webhook = await factory.AddWebhookAsync("http://127.0.0.1:9/noop", UserAction.Created, clientId: clientId, name: "Steady", enabled: enabled);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.DisabledReason, reason));
        }

        var before = await StoredAsync(webhook.Id);
        var verb = enabled ? "enable" : "disable";

        var response = (await api.PostAsync($"/api/v1/clients/{clientId}/webhooks/{webhook.Id}/{verb}")).Is(HttpStatusCode.OK).Json;
        Assert.True(await Webhooks.SetEnabledAsync(webhook.Id, enabled, Admin));

        Assert.Equal(enabled, response.GetProperty("enabled").GetBoolean());
        var after = await StoredAsync(webhook.Id);
        Assert.Equal((before.Enabled, before.DisabledReason, before.UpdatedAt), (after.Enabled, after.DisabledReason, after.UpdatedAt));
        await using var check = await factory.CreateDbContextAsync();
        Assert.Empty(await check.AuditEntries.Where(a => a.Subject == $"webhook Steady (client {clientId})").ToListAsync());
    }

    [Fact]
    public async Task A_real_change_is_still_audited()
    {
        var clientId = PortalData.UniqueName("change");
        var webhook = await factory.AddWebhookAsync("http://127.0.0.1:9/change", UserAction.Created, clientId: clientId, name: "Moving");

        (await api.PostAsync($"/api/v1/clients/{clientId}/webhooks/{webhook.Id}/disable")).Is(HttpStatusCode.OK);
        Assert.True(await Webhooks.SetEnabledAsync(webhook.Id, true, Admin));

        await using var db = await factory.CreateDbContextAsync();
        var audit = await db.AuditEntries.Where(a => a.Subject == $"webhook Moving (client {clientId})").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["webhook.disabled", "webhook.enabled"], audit);
        Assert.True((await StoredAsync(webhook.Id)).Enabled);
    }

    [Fact]
    public async Task Enabling_or_disabling_a_webhook_that_does_not_exist_is_still_refused()
    {
        Assert.False(await Webhooks.SetEnabledAsync(int.MaxValue, true, Admin));
        Assert.False(await Webhooks.SetEnabledAsync(int.MaxValue, false, Admin));
    }

    private async Task<Webhook> StoredAsync(int id)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == id);
    }
}
