using System.Net;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary><c>/api/v1/deliveries</c>: the Deliveries page's filters, a delivery with its attempts, redeliver and retry now.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveriesApiTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient api = null!;
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        api = await ApiClient.ForAsync(factory);
        receiver = await LoopbackReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await receiver.DisposeAsync();
    }

    private async Task<WebhookPortal.Features.Delivery.Delivery> DeliveredAsync()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/d"), UserAction.Created, clientId: "deliveries-client");
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("d")));
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        return await factory.WaitForDeliveryAsync(delivery.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded");
    }

    [Fact]
    public async Task Reads_a_delivery_with_its_request_and_attempts()
    {
        var delivery = await DeliveredAsync();

        var detail = (await api.GetAsync($"/api/v1/deliveries/{delivery.Id}")).Is(HttpStatusCode.OK).Json;

        Assert.Equal("Succeeded", detail.GetProperty("delivery").GetProperty("status").GetString());
        Assert.Equal(delivery.MessageId, detail.GetProperty("messageId").GetString());
        Assert.Contains(delivery.UserName, detail.GetProperty("body").GetString());
        var attempt = Assert.Single(detail.GetProperty("attempts").EnumerateArray());
        Assert.Equal(200, attempt.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Filters_by_status_client_and_action()
    {
        var delivery = await DeliveredAsync();

        var hit = (await api.GetAsync("/api/v1/deliveries?status=Succeeded&client=DELIVERIES-client&action=Created")).Is(HttpStatusCode.OK).Json;
        var miss = (await api.GetAsync("/api/v1/deliveries?status=Failed&client=deliveries-client")).Is(HttpStatusCode.OK).Json;

        Assert.Equal(delivery.Id, Assert.Single(hit.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(0, miss.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_client_filter_matches_part_of_a_client_id_as_the_webhook_filter_matches_part_of_a_name()
    {
        var delivery = await DeliveredAsync();

        var hit = (await api.GetAsync("/api/v1/deliveries?client=LIVERIES-CLI")).Is(HttpStatusCode.OK).Json;
        var miss = (await api.GetAsync("/api/v1/deliveries?client=deliveries-client-not")).Is(HttpStatusCode.OK).Json;

        Assert.Contains(hit.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetGuid() == delivery.Id);
        Assert.Equal(0, miss.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_from_date_after_the_to_date_is_refused_saying_so()
    {
        var response = await api.GetAsync("/api/v1/deliveries?from=2026-12-05&to=2026-12-01");

        Assert.Equal(["From (2026-12-05) is after To (2026-12-01), so no delivery can match; choose a From date on or before the To date."],
            response.FieldErrors("from"));
    }

    [Fact]
    public async Task Refuses_filters_it_cannot_read()
    {
        var response = await api.GetAsync("/api/v1/deliveries?status=Done&action=Jumped&from=yesterday");

        Assert.NotEmpty(response.FieldErrors("status"));
        Assert.NotEmpty(response.FieldErrors("action"));
        Assert.NotEmpty(response.FieldErrors("from"));
    }

    [Fact]
    public async Task Redelivers_a_finished_delivery_with_the_same_webhook_id()
    {
        var delivery = await DeliveredAsync();

        (await api.PostAsync($"/api/v1/deliveries/{delivery.Id}/redeliver")).Is(HttpStatusCode.Accepted);

        var again = await factory.WaitForDeliveryAsync(delivery.Id, d => d.AttemptCount == 2 && d.Status == DeliveryStatus.Succeeded, "a second attempt");
        Assert.Equal(2, again.Attempts.Count);
        var requests = receiver.Requests.Where(r => r.Header("webhook-id") == delivery.MessageId).ToList();
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task Refuses_retry_now_of_a_finished_delivery_with_409()
    {
        var delivery = await DeliveredAsync();

        (await api.PostAsync($"/api/v1/deliveries/{delivery.Id}/retry")).IsProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Answers_404_for_an_unknown_delivery()
    {
        var unknown = Guid.NewGuid();
        (await api.GetAsync($"/api/v1/deliveries/{unknown}")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync($"/api/v1/deliveries/{unknown}/redeliver")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync($"/api/v1/deliveries/{unknown}/retry")).IsProblem(HttpStatusCode.NotFound);
    }
}
