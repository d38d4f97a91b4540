using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary><c>/api/v1/clients/{clientId}/webhooks</c>, with a real loopback receiver for Send test.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class WebhooksApiTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient api = null!;
    private LoopbackReceiver receiver = null!;
    private string clientId = "";

    public async Task InitializeAsync()
    {
        api = await ApiClient.ForAsync(factory);
        receiver = await LoopbackReceiver.StartAsync();
        clientId = PortalData.UniqueName("hooks");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await receiver.DisposeAsync();
    }

    private string Webhooks => $"/api/v1/clients/{clientId}/webhooks";

    private object NewWebhook(string name, params object[] headers) => new
    {
        name,
        actions = new[] { "Created", "Deleted" },
        url = receiver.Url("/hook"),
        method = "POST",
        headers,
    };

    [Fact]
    public async Task Sign_ins_default_to_any_client_and_round_trip_through_get_and_put()
    {
        var created = (await api.PostAsync(Webhooks, new { name = "Logins", actions = new[] { "LoggedIn" }, url = receiver.Url("/hook") })).Is(HttpStatusCode.Created);
        Assert.Equal("AnyClient", created.Json.GetProperty("signIns").GetString());
        var id = created.Json.GetProperty("id").GetInt32();

        var narrowed = (await api.PutAsync($"{Webhooks}/{id}", new { name = "Logins", actions = new[] { "LoggedIn", "LoggedOut" }, signIns = "thisClient", url = receiver.Url("/hook") })).Is(HttpStatusCode.OK);
        Assert.Equal("ThisClient", narrowed.Json.GetProperty("signIns").GetString());
        var read = (await api.GetAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.OK);
        Assert.Equal("ThisClient", read.Json.GetProperty("signIns").GetString());

        // What GET returned, sent back as it is, changes nothing; an update that leaves the field out keeps it too.
        var again = (await api.SendAsync(HttpMethod.Put, $"{Webhooks}/{id}", System.Text.Json.JsonSerializer.Deserialize<object>(read.Body)!)).Is(HttpStatusCode.OK);
        Assert.Equal("ThisClient", again.Json.GetProperty("signIns").GetString());
        var without = (await api.PutAsync($"{Webhooks}/{id}", new { name = "Logins", actions = new[] { "LoggedIn" }, url = receiver.Url("/hook") })).Is(HttpStatusCode.OK);
        Assert.Equal("ThisClient", without.Json.GetProperty("signIns").GetString());

        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(SignInScope.ThisClient, (await db.Webhooks.SingleAsync(w => w.Id == id)).SignIns);
        var changes = await db.AuditEntries.Where(a => a.Subject == $"webhook Logins (client {clientId})" && a.Action == "webhook.updated")
            .Select(a => a.Details).ToListAsync();
        Assert.Contains(changes, c => MessageText.English(c) is { } text && text.Contains("Sign-ins", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keep_order_per_user_defaults_off_and_round_trips_through_get_and_put()
    {
        var created = (await api.PostAsync(Webhooks, NewWebhook("In order"))).Is(HttpStatusCode.Created);
        Assert.False(created.Json.GetProperty("orderedPerUser").GetBoolean());
        var id = created.Json.GetProperty("id").GetInt32();

        var ordered = (await api.PutAsync($"{Webhooks}/{id}", new { name = "In order", actions = new[] { "Created" }, orderedPerUser = true, url = receiver.Url("/hook") })).Is(HttpStatusCode.OK);
        Assert.True(ordered.Json.GetProperty("orderedPerUser").GetBoolean());
        var read = (await api.GetAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.OK);
        Assert.True(read.Json.GetProperty("orderedPerUser").GetBoolean());

        // What GET returned, sent back as it is, changes nothing; an update that leaves the field out keeps it too.
        var again = (await api.SendAsync(HttpMethod.Put, $"{Webhooks}/{id}", System.Text.Json.JsonSerializer.Deserialize<object>(read.Body)!)).Is(HttpStatusCode.OK);
        Assert.True(again.Json.GetProperty("orderedPerUser").GetBoolean());
        var without = (await api.PutAsync($"{Webhooks}/{id}", new { name = "In order", actions = new[] { "Created" }, url = receiver.Url("/hook") })).Is(HttpStatusCode.OK);
        Assert.True(without.Json.GetProperty("orderedPerUser").GetBoolean());
        var off = (await api.PutAsync($"{Webhooks}/{id}", new { name = "In order", actions = new[] { "Created" }, orderedPerUser = false, url = receiver.Url("/hook") })).Is(HttpStatusCode.OK);
        Assert.False(off.Json.GetProperty("orderedPerUser").GetBoolean());

        await using var db = await factory.CreateDbContextAsync();
        Assert.False((await db.Webhooks.SingleAsync(w => w.Id == id)).OrderedPerUser);
        var changes = await db.AuditEntries.Where(a => a.Subject == $"webhook In order (client {clientId})" && a.Action == "webhook.updated")
            .Select(a => a.Details).ToListAsync();
        Assert.Equal(2, changes.Count(c => c != null && c.Contains("OrderedPerUser", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Creates_a_webhook_masking_secret_headers_and_auditing_it()
    {
        var response = (await api.PostAsync(Webhooks, NewWebhook("Audit me", new { name = "Authorization", value = "Bearer s3cr3t", secret = true }))).Is(HttpStatusCode.Created);

        var webhook = response.Json;
        Assert.Equal(["Created", "Deleted"], webhook.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Generic", webhook.GetProperty("target").GetString());
        Assert.DoesNotContain("s3cr3t", response.Body);
        Assert.Equal(WebhookResponse.Masked, webhook.GetProperty("headers")[0].GetProperty("value").GetString());
        var id = webhook.GetProperty("id").GetInt32();
        var read = (await api.GetAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.OK);
        Assert.DoesNotContain("s3cr3t", read.Body);
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Webhooks.SingleAsync(w => w.Id == id);
        Assert.StartsWith(SecretProtector.Prefix, stored.Headers[0].Value);
        var audit = await db.AuditEntries.Where(a => a.Subject == $"webhook Audit me (client {clientId})").Select(a => a.Action).ToListAsync();
        Assert.Equal(["webhook.created", "webhook.secret_changed"], audit.Order());
    }

    [Fact]
    public async Task A_bare_WeCom_key_without_a_body_becomes_a_WeCom_webhook_with_the_WeCom_preset_as_in_the_dialog()
    {
        var key = Guid.NewGuid().ToString();

        var created = (await api.PostAsync(Webhooks, new { name = "Robot", actions = new[] { "Created" }, url = key })).Is(HttpStatusCode.Created);

        Assert.Equal("WeCom", created.Json.GetProperty("target").GetString());
        Assert.Equal(WebhookPresets.For(WebhookTarget.WeCom).Template, created.Json.GetProperty("body").GetString());
        Assert.DoesNotContain(key, created.Body);
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Webhooks.SingleAsync(w => w.Id == created.Json.GetProperty("id").GetInt32());
        Assert.Equal(WeComTarget.RobotUrl + key, stored.Url);

        // An update without a body gets the preset too, not the generic body WeCom refuses with 40008.
        var updated = (await api.PutAsync($"{Webhooks}/{stored.Id}", new { name = "Robot", actions = new[] { "Created" }, url = key, body = "" })).Is(HttpStatusCode.OK);
        Assert.Equal(WebhookPresets.For(WebhookTarget.WeCom).Template, updated.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_update_without_a_body_keeps_the_written_body_and_an_unedited_preset_follows_a_new_target()
    {
        const string written = """{"custom":"{{$$.Name$$}}"}""";
        var key = Guid.NewGuid().ToString();
        var created = (await api.PostAsync(Webhooks, new { name = "Kept body", actions = new[] { "Created" }, url = key, body = written })).Is(HttpStatusCode.Created);
        var id = created.Json.GetProperty("id").GetInt32();

        // A rename that leaves the body out must not lose the template.
        var renamed = (await api.PutAsync($"{Webhooks}/{id}", new { name = "Kept body 2", actions = new[] { "Created" }, url = key })).Is(HttpStatusCode.OK);
        Assert.Equal(written, renamed.Json.GetProperty("body").GetString());

        // An unedited preset is nobody's writing: it follows the URL to another target, as in the dialog.
        var preset = (await api.PutAsync($"{Webhooks}/{id}", new { name = "Kept body 2", actions = new[] { "Created" }, url = key, body = "" })).Is(HttpStatusCode.OK);
        Assert.Equal(WebhookPresets.For(WebhookTarget.WeCom).Template, preset.Json.GetProperty("body").GetString());
        var moved = (await api.PutAsync($"{Webhooks}/{id}", new { name = "Kept body 2", actions = new[] { "Created" }, url = "https://hooks.slack.com/services/T0/B0/x" })).Is(HttpStatusCode.OK);
        Assert.Equal("Slack", moved.Json.GetProperty("target").GetString());
        Assert.Equal(WebhookPresets.For(WebhookTarget.Slack).Template, moved.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Refuses_an_invalid_webhook_with_the_dialogs_messages_per_field()
    {
        var response = await api.PostAsync(Webhooks, new { name = "", actions = Array.Empty<string>(), url = "ftp://example.com", method = "TRACE", body = "{\"a\":{{$$.Nope$$}}}" });

        Assert.Equal(WebhookModel.ValidateName("").ToArray(), response.FieldErrors("name"));
        Assert.Equal(["Choose at least one action."], response.FieldErrors("actions"));
        Assert.Equal(WebhookModel.ValidateUrl("ftp://example.com").ToArray(), response.FieldErrors("url"));
        Assert.Equal(WebhookModel.ValidateMethod("TRACE").ToArray(), response.FieldErrors("method"));
    }

    [Theory]
    [InlineData("""{"name":"x","actions":["Created"],"url":"https://example.com/h","method":"POST","headers":null}""", "headers")]
    [InlineData("""{"name":null,"actions":["Created"],"url":"https://example.com/h","method":"POST"}""", "name")]
    [InlineData("""{"name":"x","actions":["Bogus"],"url":"https://example.com/h","method":"POST"}""", "actions[0]")]
    [InlineData("""{"name":"x","actions":"Created","url":"https://example.com/h","method":"POST"}""", "actions")]
    [InlineData("""not json""", "body")]
    [InlineData("""{"name":"x","name":"y","actions":["Created"],"url":"https://example.com/h","method":"POST"}""", "name")]
    public async Task Refuses_an_unreadable_body_as_a_400_naming_the_field_never_a_500(string json, string field)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await api.Http.PostAsync(Webhooks, content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), body);
        Assert.DoesNotContain("   at ", body);
    }

    [Fact]
    public async Task A_null_inside_the_headers_list_is_no_header()
    {
        using var content = new StringContent("""{"name":"Nulls","actions":["Created"],"url":"https://example.com/h","method":"POST","headers":[null]}""",
            System.Text.Encoding.UTF8, "application/json");
        using var response = await api.Http.PostAsync(Webhooks, content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/deliveries/not-a-guid")]
    [InlineData("/api/v1/no-such-thing")]
    public async Task An_api_path_no_endpoint_matches_is_a_404_problem_not_the_html_page(string path)
    {
        (await api.GetAsync(path)).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Refuses_a_name_already_used_in_the_client()
    {
        (await api.PostAsync(Webhooks, NewWebhook("Twice"))).Is(HttpStatusCode.Created);

        var again = await api.PostAsync(Webhooks, NewWebhook("Twice"));

        Assert.Equal([WebhookAdministration.NameTakenMessage(clientId, "Twice")], again.FieldErrors("name"));
    }

    [Fact]
    public async Task Answers_404_for_an_unknown_client_or_webhook()
    {
        (await api.GetAsync("/api/v1/clients/nobody-here/webhooks")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync("/api/v1/clients/nobody-here/webhooks", NewWebhook("x"))).IsProblem(HttpStatusCode.NotFound);
        (await api.GetAsync($"{Webhooks}/999999")).IsProblem(HttpStatusCode.NotFound);
        (await api.PutAsync($"{Webhooks}/999999", NewWebhook("x"))).IsProblem(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"{Webhooks}/999999")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync($"{Webhooks}/999999/enable")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync($"{Webhooks}/999999/test")).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync($"{Webhooks}/999999/rotate-secret")).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Updates_keeping_a_secret_header_sent_empty_then_disables_enables_and_deletes()
    {
        var id = (await api.PostAsync(Webhooks, NewWebhook("Lifecycle", new { name = "X-Key", value = "k3y", secret = true }))).Is(HttpStatusCode.Created).Json.GetProperty("id").GetInt32();

        var updated = (await api.PutAsync($"{Webhooks}/{id}", new
        {
            name = "Lifecycle renamed",
            actions = new[] { "Updated" },
            url = receiver.Url("/other"),
            method = "PUT",
            headers = new[] { new { name = "X-Key", value = "", secret = true } },
        })).Is(HttpStatusCode.OK).Json;
        Assert.Equal("Lifecycle renamed", updated.GetProperty("name").GetString());
        Assert.Equal("PUT", updated.GetProperty("method").GetString());
        await using (var db = await factory.CreateDbContextAsync())
        {
            var stored = await db.Webhooks.SingleAsync(w => w.Id == id);
            Assert.Equal("k3y", factory.Services.GetRequiredService<SecretProtector>().Unprotect(stored.Headers.Single().Value));
        }

        Assert.False((await api.PostAsync($"{Webhooks}/{id}/disable")).Is(HttpStatusCode.OK).Json.GetProperty("enabled").GetBoolean());
        Assert.True((await api.PostAsync($"{Webhooks}/{id}/enable")).Is(HttpStatusCode.OK).Json.GetProperty("enabled").GetBoolean());
        (await api.DeleteAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.NoContent);
        (await api.GetAsync($"{Webhooks}/{id}")).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_webhook_sent_back_as_read_keeps_its_url_credential_and_secret_header()
    {
        var url = receiver.Url("/robot?key=WKEY999");
        var id = (await api.PostAsync(Webhooks, new
        {
            name = "Round trip",
            actions = new[] { "Created" },
            url,
            method = "POST",
            headers = new[] { new { name = "Authorization", value = "Bearer HSEC999", secret = true } },
        })).Is(HttpStatusCode.Created).Json.GetProperty("id").GetInt32();
        var read = (await api.GetAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.OK);
        Assert.DoesNotContain("WKEY999", read.Body);
        Assert.DoesNotContain("HSEC999", read.Body);

        // The GET's own JSON, unchanged, as a client that edits one field and saves the rest would send it.
        (await api.PutAsync($"{Webhooks}/{id}", read.Json)).Is(HttpStatusCode.OK);

        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Webhooks.SingleAsync(w => w.Id == id);
        Assert.Equal(url, stored.Url);
        Assert.Equal("Bearer HSEC999", factory.Services.GetRequiredService<SecretProtector>().Unprotect(stored.Headers.Single().Value));
    }

    [Fact]
    public async Task Requests_that_arrive_together_with_one_name_create_one_webhook()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => api.PostAsync(Webhooks, NewWebhook("Same name"))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.Contains("already has a webhook named Same name", a.IsProblem(HttpStatusCode.BadRequest).Body));
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Webhooks.CountAsync(w => w.Client!.ClientId == clientId && w.Name == "Same name"));
    }

    [Fact]
    public async Task Sends_a_test_to_the_receiver_and_reports_its_answer()
    {
        var id = (await api.PostAsync(Webhooks, NewWebhook("Test me"))).Is(HttpStatusCode.Created).Json.GetProperty("id").GetInt32();

        var result = (await api.PostAsync($"{Webhooks}/{id}/test?action=Deleted")).Is(HttpStatusCode.OK).Json;

        Assert.True(result.GetProperty("succeeded").GetBoolean(), result.ToString());
        Assert.Equal(200, result.GetProperty("statusCode").GetInt32());
        var request = await receiver.WaitForRequestToAsync("/hook", TimeSpan.FromSeconds(10));
        Assert.Equal("webhook.test", request.Header("X-Webhook-Event"));
        Assert.Equal("42", request.Header("webhook-sequence"));
    }

    [Fact]
    public async Task Rotates_the_signing_secret_returning_it_once()
    {
        var id = (await api.PostAsync(Webhooks, NewWebhook("Signed"))).Is(HttpStatusCode.Created).Json.GetProperty("id").GetInt32();

        var first = (await api.PostAsync($"{Webhooks}/{id}/rotate-secret")).Is(HttpStatusCode.OK).Json;
        var second = (await api.PostAsync($"{Webhooks}/{id}/rotate-secret")).Is(HttpStatusCode.OK).Json;

        var secret = second.GetProperty("signingSecret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.NotEqual(first.GetProperty("signingSecret").GetString(), secret);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("previousSecretValidUntil").ValueKind);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, second.GetProperty("previousSecretValidUntil").ValueKind);
        var read = (await api.GetAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.OK);
        Assert.True(read.Json.GetProperty("hasSigningSecret").GetBoolean());
        Assert.DoesNotContain(secret[6..], read.Body);
    }
}
