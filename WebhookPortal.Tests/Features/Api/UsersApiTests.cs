using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary><c>/api/v1/users</c>: every change goes through the user manager, so it fires webhooks as the UI does.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UsersApiTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

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

    private static object NewUser(string userName, string password = "Passw0rd!x") => new
    {
        userName,
        email = userName + "@example.test",
        firstName = "Wei",
        lastName = "Zhang",
        phone = "+86 138 0000 0000",
        password,
    };

    [Fact]
    public async Task A_user_created_through_the_api_fires_its_webhook_to_the_receiver()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/created"), UserAction.Created);
        var userName = PortalData.UniqueName("apiuser");

        var created = (await api.PostAsync("/api/v1/users", NewUser(userName))).Is(HttpStatusCode.Created).Json;

        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(userName, created.GetProperty("userName").GetString());
        Assert.False(created.TryGetProperty("password", out _));
        var request = await receiver.WaitForRequestToAsync("/created", Wait);
        var body = WebhookAssert.StringObject(request);
        Assert.Equal(id, body["id"]);
        Assert.Equal(userName, body["username"]);
        var delivery = await factory.SingleDeliveryAsync(id, UserAction.Created);
        var read = (await api.GetAsync($"/api/v1/deliveries?client=test-client&action=Created")).Is(HttpStatusCode.OK).Json;
        Assert.Contains(read.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetGuid() == delivery.Id);
    }

    [Fact]
    public async Task Refuses_an_invalid_user_with_the_dialogs_messages_per_field()
    {
        var response = await api.PostAsync("/api/v1/users", new { userName = "has space", email = "nope", phone = "abc", password = "" });

        Assert.Equal(UserModel.ValidateUserName("has space").ToArray(), response.FieldErrors("userName"));
        Assert.Equal(UserModel.ValidateEmail("nope").ToArray(), response.FieldErrors("email"));
        Assert.Equal(UserModel.ValidatePhone("abc").ToArray(), response.FieldErrors("phone"));
        Assert.Equal(["Password is required."], response.FieldErrors("password"));
    }

    [Fact]
    public async Task Accepts_a_Chinese_user_name_and_refuses_other_characters_with_the_exact_rule()
    {
        var userName = "张伟-" + PortalData.UniqueName("zh");
        var created = (await api.PostAsync("/api/v1/users", new { userName, email = PortalData.UniqueName("zh") + "@example.test", password = "Passw0rd!x" }))
            .Is(HttpStatusCode.Created).Json;
        Assert.Equal(userName, created.GetProperty("userName").GetString());

        var refused = await api.PostAsync("/api/v1/users", new { userName = "张伟<script>", email = PortalData.UniqueName("zh") + "@example.test", password = "Passw0rd!x" });
        Assert.Equal(["User name may only contain letters (Chinese and other scripts too), digits and - . _ @ +"], refused.FieldErrors("userName"));

        // Identity itself holds the same rule, for every way a user is saved (registration, account pages).
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var result = await manager.CreateAsync(new WebhookPortal.Data.PortalUser { UserName = "a b", Email = PortalData.UniqueName("ab") + "@example.test" });
        var error = Assert.Single(result.Errors);
        Assert.Equal(("InvalidUserName", "User name 'a b' is invalid: " + UserModel.UserNameRule), (error.Code, error.Description));
    }

    [Fact]
    public async Task Refuses_a_weak_password_on_the_password_field()
    {
        var response = await api.PostAsync("/api/v1/users", NewUser(PortalData.UniqueName("weak"), password: "weak"));

        Assert.NotEmpty(response.FieldErrors("password"));
    }

    [Fact]
    public async Task Refuses_a_taken_user_name_with_409()
    {
        var userName = PortalData.UniqueName("taken");
        (await api.PostAsync("/api/v1/users", NewUser(userName))).Is(HttpStatusCode.Created);

        (await api.PostAsync("/api/v1/users", NewUser(userName))).IsProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Answers_404_for_an_unknown_user()
    {
        (await api.GetAsync("/api/v1/users/no-such-id")).IsProblem(HttpStatusCode.NotFound);
        (await api.PutAsync("/api/v1/users/no-such-id", new { userName = "someone", email = "someone@example.test" })).IsProblem(HttpStatusCode.NotFound);
        (await api.DeleteAsync("/api/v1/users/no-such-id")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync("/api/v1/users/no-such-id/disable")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync("/api/v1/users/no-such-id/reset-password", new { password = "Passw0rd!x" })).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Updates_disables_resets_and_deletes_a_user_firing_each_event()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/life"), UserAction.Updated | UserAction.Deleted);
        var userName = PortalData.UniqueName("life");
        var id = (await api.PostAsync("/api/v1/users", NewUser(userName))).Is(HttpStatusCode.Created).Json.GetProperty("id").GetString()!;

        var updated = (await api.PutAsync($"/api/v1/users/{id}", new { userName, email = "new-" + userName + "@example.test", firstName = "W", lastName = "Z", enabled = true }))
            .Is(HttpStatusCode.OK).Json;
        Assert.Equal("new-" + userName + "@example.test", updated.GetProperty("email").GetString());
        Assert.False((await api.PostAsync($"/api/v1/users/{id}/disable")).Is(HttpStatusCode.OK).Json.GetProperty("enabled").GetBoolean());
        Assert.True((await api.PostAsync($"/api/v1/users/{id}/enable")).Is(HttpStatusCode.OK).Json.GetProperty("enabled").GetBoolean());
        (await api.PostAsync($"/api/v1/users/{id}/reset-password", new { password = "" })).FieldErrors("password");
        (await api.PostAsync($"/api/v1/users/{id}/reset-password", new { password = "N3w-Passw0rd!" })).Is(HttpStatusCode.NoContent);
        (await api.DeleteAsync($"/api/v1/users/{id}")).Is(HttpStatusCode.NoContent);
        (await api.GetAsync($"/api/v1/users/{id}")).IsProblem(HttpStatusCode.NotFound);

        var deliveries = await Eventually.MatchesAsync(() => factory.DeliveriesForUserAsync(id),
            list => list.Count == 5 && list.All(d => d.Status == DeliveryStatus.Succeeded),
            "update, disable, enable, password reset and delete each delivered", Wait, list => string.Join("; ", list.Select(PortalData.Describe)));
        Assert.Equal([UserAction.Updated, UserAction.Updated, UserAction.Updated, UserAction.Updated, UserAction.Deleted], deliveries.Select(d => d.Action));
    }

    [Fact]
    public async Task Refuses_to_disable_or_delete_the_callers_own_account()
    {
        var admin = (await api.GetAsync($"/api/v1/users?search={PortalFactory.AdminUserName}")).Is(HttpStatusCode.OK).Json.GetProperty("items")
            .EnumerateArray().Single(u => u.GetProperty("userName").GetString() == PortalFactory.AdminUserName);
        var id = admin.GetProperty("id").GetString();
        Assert.True(admin.GetProperty("isAdmin").GetBoolean());

        (await api.PostAsync($"/api/v1/users/{id}/disable")).IsProblem(HttpStatusCode.Conflict);
        (await api.DeleteAsync($"/api/v1/users/{id}")).IsProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Search_finds_a_chinese_name_written_family_name_first_as_the_users_page_does()
    {
        var zhangWei = PortalData.UniqueName("zw");
        var reversed = PortalData.UniqueName("wz");
        (await api.PostAsync("/api/v1/users", new { userName = zhangWei, email = zhangWei + "@example.test", firstName = "伟", lastName = "张", password = "Passw0rd!x" }))
            .Is(HttpStatusCode.Created);
        (await api.PostAsync("/api/v1/users", new { userName = reversed, email = reversed + "@example.test", firstName = "张", lastName = "伟", password = "Passw0rd!x" }))
            .Is(HttpStatusCode.Created);

        var found = (await api.GetAsync($"/api/v1/users?search={Uri.EscapeDataString("张伟")}")).Is(HttpStatusCode.OK).Json
            .GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userName").GetString()).ToList();

        Assert.Contains(zhangWei, found);
        Assert.DoesNotContain(reversed, found);
    }

    [Fact]
    public async Task Lists_users_with_search_and_paging()
    {
        var prefix = PortalData.UniqueName("list");
        foreach (var n in new[] { 1, 2, 3 })
        {
            (await api.PostAsync("/api/v1/users", NewUser($"{prefix}-{n}"))).Is(HttpStatusCode.Created);
        }

        var page = (await api.GetAsync($"/api/v1/users?search={prefix}&page=1&pageSize=2")).Is(HttpStatusCode.OK).Json;

        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal([$"{prefix}-1", $"{prefix}-2"], page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userName").GetString()));
    }
}
