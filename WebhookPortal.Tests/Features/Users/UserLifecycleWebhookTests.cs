using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>Created, Updated and Deleted through <see cref="PortalUserManager"/> in the real app, received by a real HTTP receiver.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UserLifecycleWebhookTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Delivers_default_body_when_user_created()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/created"), UserAction.Created);

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("created")));

        var request = await receiver.WaitForRequestToAsync("/created", Wait);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        Assert.Equal("POST", request.Method);
        WebhookAssert.HasStandardHeaders(request, delivery, "user.created", withBody: true);
        var body = WebhookAssert.StringObject(request);
        Assert.Equal(["id", "email", "username", "last_name", "first_name", "created_at", "enabled"], body.Keys);
        Assert.Equal(user.Id, body["id"]);
        Assert.Equal(user.Email, body["email"]);
        Assert.Equal(user.UserName, body["username"]);
        Assert.Equal("O'Brien\\🎉", body["last_name"]);
        Assert.Equal("张伟 \"Wei\"", body["first_name"]);
        Assert.Equal(TemplateValues.Rfc3339(user.CreatedAt), body["created_at"]);
        Assert.Equal("true", body["enabled"]);
        Assert.Contains("张伟", request.Body);
        Assert.Contains("🎉", request.Body);

        var done = await factory.WaitForDeliveryAsync(delivery.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded");
        var attempt = Assert.Single(done.Attempts);
        Assert.True(attempt.Succeeded);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal("""{"ok":true}""", attempt.ResponseExcerpt);
        Assert.Null(done.NextAttemptAt);
    }

    [Fact]
    public async Task Delivers_every_event_field_when_user_created()
    {
        const string template = """
            {"action":"{{$$.Action$$}}","event":"{{$$.Event$$}}","eventId":"{{$$.EventID$$}}","occurredAt":"{{$$.OccurredAt$$}}",
             "client":"{{$$.ClientID$$}}","webhook":"{{$$.WebhookName$$}}","ip":"{{$$.IPAddress$$}}","changed":"{{$$.ChangedFields$$}}",
             "phone":"{{$$.Phone$$}}","enabled":{{$$.Enabled$$}}}
            """;
        await factory.UseOnlyWebhookAsync(receiver.Url("/fields"), UserAction.Created, body: template, clientId: "crm.prod", name: "CRM \"sync\"");

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("fields")));

        var request = await receiver.WaitForRequestToAsync("/fields", Wait);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        using var json = JsonDocument.Parse(request.Body);
        var body = json.RootElement;
        Assert.Equal("created", body.GetProperty("action").GetString());
        Assert.Equal("user.created", body.GetProperty("event").GetString());
        Assert.Equal(delivery.EventId.ToString(), body.GetProperty("eventId").GetString());
        var occurredAt = DateTimeOffset.Parse(body.GetProperty("occurredAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(occurredAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("crm.prod", body.GetProperty("client").GetString());
        Assert.Equal("CRM \"sync\"", body.GetProperty("webhook").GetString());
        Assert.Equal("", body.GetProperty("ip").GetString());
        Assert.Equal("", body.GetProperty("changed").GetString());
        Assert.Equal("+86 138 0000 0000", body.GetProperty("phone").GetString());
        Assert.Equal(JsonValueKind.True, body.GetProperty("enabled").ValueKind);
        Assert.Equal("crm.prod", delivery.ClientId);
        Assert.Equal("CRM \"sync\"", delivery.WebhookName);
        Assert.Equal(user.UserName, delivery.UserName);
    }

    [Fact]
    public async Task Delivers_changed_fields_when_user_email_changes()
    {
        await factory.UseOnlyWebhookAsync(
            receiver.Url("/updated"), UserAction.Updated,
            body: """{"changed":"{{$$.ChangedFields$$}}","email":"{{$$.Email$$}}","action":"{{$$.Action$$}}","name":"{{$$.Name$$}}"}""");
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("updated")));
        var newEmail = PortalData.UniqueName("new") + "@例子.test";

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var result = await users.SetEmailAsync((await users.FindByIdAsync(user.Id))!, newEmail);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        var request = await receiver.WaitForRequestToAsync("/updated", Wait);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Updated);
        WebhookAssert.HasStandardHeaders(request, delivery, "user.updated", withBody: true);
        var body = WebhookAssert.StringObject(request);
        Assert.Equal("Email", body["changed"]);
        Assert.Equal(newEmail, body["email"]);
        Assert.Equal("updated", body["action"]);
        Assert.Equal(user.UserName, body["name"]);
    }

    [Fact]
    public async Task Delivers_pre_delete_snapshot_when_user_deleted()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/deleted"), UserAction.Deleted);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("deleted"), firstName: "Ada", lastName: "Lovelace"));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            Assert.True((await users.DeleteAsync(stored)).Succeeded);
            Assert.Null(await users.FindByIdAsync(user.Id));
        }

        var request = await receiver.WaitForRequestToAsync("/deleted", Wait);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Deleted);
        WebhookAssert.HasStandardHeaders(request, delivery, "user.deleted", withBody: true);
        var body = WebhookAssert.StringObject(request);
        Assert.Equal(user.Id, body["id"]);
        Assert.Equal(user.Email, body["email"]);
        Assert.Equal(user.UserName, body["username"]);
        Assert.Equal("Lovelace", body["last_name"]);
        Assert.Equal("Ada", body["first_name"]);
        Assert.Equal(TemplateValues.Rfc3339(user.CreatedAt), body["created_at"]);
        Assert.Equal("true", body["enabled"]);
    }

    [Fact]
    public async Task Sends_get_webhook_without_body_and_with_percent_encoded_values_in_the_query()
    {
        await factory.UseOnlyWebhookAsync(
            receiver.Url("/get?name={{$$.Name$$}}&first={{$$.FirstName$$}}&event={{$$.Event$$}}"), UserAction.Created, method: "GET",
            body: """{"ignored":"{{$$.Name$$}}"}""");
        var userName = PortalData.UniqueName("get.user+tag");
        var firstName = "张 伟&a=b/c?d#e";

        var user = await factory.CreateUserAsync(PortalData.NewUser(userName, firstName: firstName));

        var request = await receiver.WaitForRequestToAsync("/get", Wait);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        Assert.Equal("GET", request.Method);
        WebhookAssert.HasStandardHeaders(request, delivery, "user.created", withBody: false);
        Assert.Null(delivery.Body);
        Assert.Equal(
            "/get?name=" + Uri.EscapeDataString(userName) + "&first=%E5%BC%A0%20%E4%BC%9F%26a%3Db%2Fc%3Fd%23e&event=user.created",
            request.Target);
        var query = QueryHelpers.ParseQuery(request.Target[request.Target.IndexOf('?')..]);
        Assert.Equal(userName, query["name"].ToString());
        Assert.Equal(firstName, query["first"].ToString());
        Assert.Equal("user.created", query["event"].ToString());
        Assert.Equal(3, query.Count);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Sends_the_body_with_the_configured_method(string method)
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/method"), UserAction.Created, method: method, body: """{"name":"{{$$.Name$$}}"}""");

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("method")));

        var request = await receiver.WaitForRequestToAsync("/method", Wait);
        Assert.Equal(method, request.Method);
        WebhookAssert.HasStandardHeaders(request, await factory.SingleDeliveryAsync(user.Id, UserAction.Created), "user.created", withBody: true);
        Assert.Equal(user.UserName, WebhookAssert.StringObject(request)["name"]);
    }

    [Fact]
    public async Task Fires_every_enabled_webhook_watching_the_action_with_one_event_id()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/a"), UserAction.Created, body: """{"e":"{{$$.EventID$$}}","w":"{{$$.WebhookName$$}}"}""", name: "A");
        await factory.AddWebhookAsync(receiver.Url("/b"), UserAction.Created | UserAction.Deleted, body: """{"e":"{{$$.EventID$$}}","w":"{{$$.WebhookName$$}}"}""", clientId: "other-client", name: "B");
        await factory.AddWebhookAsync(receiver.Url("/disabled"), UserAction.Created, name: "Disabled", enabled: false);
        await factory.AddWebhookAsync(receiver.Url("/other-action"), UserAction.Updated | UserAction.LoggedIn, name: "Other action");

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("fanout")));

        var a = WebhookAssert.StringObject(await receiver.WaitForRequestToAsync("/a", Wait));
        var b = WebhookAssert.StringObject(await receiver.WaitForRequestToAsync("/b", Wait));
        var deliveries = await factory.DeliveriesForUserAsync(user.Id);
        Assert.Equal(["A", "B"], deliveries.Select(d => d.WebhookName).Order());
        Assert.Single(deliveries.Select(d => d.EventId).Distinct());
        Assert.Equal(deliveries[0].EventId.ToString(), a["e"]);
        Assert.Equal(a["e"], b["e"]);
        Assert.Equal(("A", "B"), (a["w"], b["w"]));
        Assert.NotEqual(deliveries[0].Id, deliveries[1].Id);
        Assert.Empty(receiver.RequestsTo("/disabled"));
        Assert.Empty(receiver.RequestsTo("/other-action"));
    }

    [Fact]
    public async Task Records_a_failed_delivery_instead_of_losing_the_event_when_the_stored_template_cannot_render()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/broken"), UserAction.Created, body: """{"user":"{{$$.Nmae$$}}"}""");

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("broken")));

        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.StartsWith("Template error: ", MessageText.English(delivery.LastError));
        Assert.Contains("{{$$.Nmae$$}}", MessageText.English(delivery.LastError));
        Assert.Contains("did you mean {{$$.Name$$}}", MessageText.English(delivery.LastError));
        Assert.Null(delivery.NextAttemptAt);
        Assert.Empty(delivery.Attempts);
        Assert.Empty(receiver.RequestsTo("/broken"));
    }

    [Fact]
    public async Task User_changes_do_not_wait_for_a_receiver_that_has_not_answered()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/slow"), UserAction.Created | UserAction.Updated, body: """{"a":"{{$$.Action$$}}"}""");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.RespondWith(async _ =>
        {
            await release.Task;
            return new ReceiverResponse(200, "{}");
        });
        try
        {
            var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("slow")));
            var created = await receiver.WaitForRequestToAsync("/slow", Wait);

            // The receiver holds the created request open; the next change must still go through and be queued.
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
                Assert.True((await users.SetPhoneNumberAsync((await users.FindByIdAsync(user.Id))!, "+1 555 0100")).Succeeded);
            }

            var deliveries = await factory.DeliveriesForUserAsync(user.Id);
            Assert.Equal([UserAction.Created, UserAction.Updated], deliveries.Select(d => d.Action));
            Assert.Equal(DeliveryStatus.Pending, deliveries[0].Status);
            Assert.Empty(deliveries[0].Attempts);
            var updated = await receiver.WaitForRequestToAsync("/slow", Wait);
            Assert.False(release.Task.IsCompleted);
            Assert.Equal("created", WebhookAssert.StringObject(created)["a"]);
            Assert.Equal("updated", WebhookAssert.StringObject(updated)["a"]);
        }
        finally
        {
            release.TrySetResult();
        }

        await Eventually.MatchesAsync(
            () => factory.DeliveriesAsync(),
            list => list.Count == 2 && list.All(d => d.Status == DeliveryStatus.Succeeded),
            "both deliveries to succeed once the receiver answers");
    }
}
