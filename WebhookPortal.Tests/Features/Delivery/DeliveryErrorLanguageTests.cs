using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// The API answers a delivery's errors and a webhook's auto-disable reason in the request's language
/// (<c>Accept-Language</c>): a real refusal by the network guard, stored as a code, reads in Chinese for zh-CN and in
/// English otherwise.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryErrorLanguageTests
{
    // The guard as in production: loopback is refused.
    private static readonly Dictionary<string, string?> Guarded = new() { ["Webhooks:Network:AllowPrivateNetworks"] = "false" };

    private const string ChineseRefusal = "被网络防护拒绝：127.0.0.1 是环回地址；Webhook 只能访问公网地址。";
    private const string EnglishRefusal = "Refused by the network guard: 127.0.0.1 is a loopback address; webhooks may only reach public addresses.";

    [Fact]
    public async Task A_refused_delivery_reads_in_Chinese_with_Accept_Language_zh_CN_and_in_English_otherwise()
    {
        await using var factory = PortalFactory.Create(overrides: Guarded);
        await factory.UseOnlyWebhookAsync("http://127.0.0.1:9/hook", UserAction.Created);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("guard")));
        var queued = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        await factory.WaitForDeliveryAsync(queued.Id, d => d.Status == DeliveryStatus.Failed, "Failed");
        using var api = await ApiClient.ForAsync(factory);

        var chinese = await GetAsync(api, $"/api/v1/deliveries/{queued.Id}", "zh-CN,zh;q=0.9");
        var english = await GetAsync(api, $"/api/v1/deliveries/{queued.Id}", null);
        var chineseList = await GetAsync(api, "/api/v1/deliveries?status=Failed", "zh-CN");

        Assert.Equal(ChineseRefusal, Assert.Single(chinese.GetProperty("attempts").EnumerateArray()).GetProperty("error").GetString());
        Assert.Equal(ChineseRefusal, chinese.GetProperty("delivery").GetProperty("lastError").GetString());
        Assert.Equal(EnglishRefusal, Assert.Single(english.GetProperty("attempts").EnumerateArray()).GetProperty("error").GetString());
        Assert.Equal(EnglishRefusal, english.GetProperty("delivery").GetProperty("lastError").GetString());
        Assert.Equal(ChineseRefusal, Assert.Single(chineseList.GetProperty("items").EnumerateArray()).GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task An_auto_disabled_webhooks_reason_reads_in_the_requests_language()
    {
        await using var factory = PortalFactory.Create(overrides: Guarded);
        var webhook = await factory.UseOnlyWebhookAsync("https://hooks.example.com/hook", UserAction.Created);
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.True(await AutoDisable.DisableAsync(db, webhook.Id, new CodedMessage(MessageCodes.Gone), new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc)));
            Assert.Equal("""["autodisable.disabled_on","2026-11-29 12:00",["autodisable.gone"]]""",
                await db.Webhooks.Where(w => w.Id == webhook.Id).Select(w => w.DisabledReason).SingleAsync());
        }

        using var api = await ApiClient.ForAsync(factory);
        var path = $"/api/v1/clients/test-client/webhooks/{webhook.Id}";

        Assert.Equal("已于 2026-11-29 12:00 UTC 停用：接收方应答 410 Gone。", (await GetAsync(api, path, "zh-CN")).GetProperty("disabledReason").GetString());
        Assert.Equal("Disabled on 2026-11-29 12:00 UTC: the receiver answered 410 Gone.", (await GetAsync(api, path, "en-US")).GetProperty("disabledReason").GetString());
    }

    private static async Task<JsonElement> GetAsync(ApiClient api, string path, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }

        using var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
