using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// Requests a hostile or careless client sends: none may get a 5xx, an HTML page or an empty answer, and no 4xx may name a
/// .NET type. Every answer is <c>application/problem+json</c> that says which field is wrong and what it must be.
/// Runs on Kestrel, where these were found.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class HostileRequestTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    private PortalFactory Factory => portal.Factory;

    /// <summary>Every API operation that reads a JSON body, with its route parameters filled in ("x", or 1 for numbers).</summary>
    public static IEnumerable<(string Method, string Path)> JsonOperations(PortalFactory factory) =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true
                && e.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts
                && accepts.ContentTypes.Contains("application/json"))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method => (method, Fill(e))))
            .ToList();

    [Fact]
    public async Task An_unknown_charset_is_a_415_problem_on_every_JSON_operation()
    {
        using var api = await ApiAsync();
        var operations = JsonOperations(Factory).ToList();
        Assert.True(operations.Count >= 6, $"Only {operations.Count} JSON operations found.");

        foreach (var (method, path) in operations)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=bogus-42");
            var response = await SendAsync(api, request);

            Assert.True(response.Status == HttpStatusCode.UnsupportedMediaType, $"{method} {path}: {(int)response.Status} {response.Body}");
            response.IsProblem(HttpStatusCode.UnsupportedMediaType);
            Assert.Contains("bogus-42", response.Body);
            Assert.Contains("UTF-8", response.Body);
        }
    }

    [Theory]
    [InlineData("utf-8", "quoted-utf8")]
    [InlineData("\"utf-8\"", "quoted-utf8-q")]
    [InlineData("UTF-8", "quoted-utf8-u")]
    public async Task A_known_charset_is_read_quoted_or_not(string charset, string clientId)
    {
        using var api = await ApiAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients") { Content = new StringContent($$"""{"clientId":"{{clientId}}"}""") };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=" + charset);

        var response = await SendAsync(api, request);

        Assert.True(response.Status == HttpStatusCode.Created, $"{(int)response.Status} {response.Body}");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_JSON_is_a_415_problem(string contentType)
    {
        using var api = await ApiAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients")
        {
            Content = new StringContent("""{"clientId":"plain-text"}""", Encoding.UTF8, contentType),
        };

        var response = (await SendAsync(api, request)).IsProblem(HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", response.Body);
    }

    [Fact]
    public async Task A_method_an_operation_does_not_have_is_a_405_problem_naming_the_allowed_ones()
    {
        using var api = await ApiAsync();

        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/clients") { Content = JsonContent.Create(new { clientId = "x" }) };
        var response = (await SendAsync(api, request)).IsProblem(HttpStatusCode.MethodNotAllowed);

        Assert.Contains("GET", response.Headers["Allow"]);
        Assert.Contains("POST", response.Headers["Allow"]);
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/api/v1/deliveries/not-a-guid")]
    [InlineData("/api/v2/clients")]
    public async Task An_unknown_path_is_a_404_problem(string path)
    {
        using var api = await ApiAsync();

        (await api.GetAsync(path)).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_webhook_header_without_a_name_is_a_400_naming_the_field()
    {
        using var api = await ApiAsync();
        var clientId = PortalData.UniqueName("nameless");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
        var webhook = new
        {
            name = "Nameless header", actions = new[] { "Created" }, url = "http://127.0.0.1:9/x", method = "POST",
            headers = new[] { new { value = "x" } },
        };

        var created = await api.PostAsync($"/api/v1/clients/{clientId}/webhooks", webhook);

        Assert.Contains("headers[0].name is required.", created.FieldErrors("headers[0].name"));
        NamesNoType(created.Body);
        var listed = (await api.GetAsync($"/api/v1/clients/{clientId}/webhooks")).Is(HttpStatusCode.OK);
        Assert.Equal(0, listed.Json.GetArrayLength());
    }

    /// <summary>Bodies that cannot be read as the operation's JSON: the field, by its JSON path, and what it must be.</summary>
    public static TheoryData<string, string, string, string> UnreadableBodies => new()
    {
        { "/api/v1/clients", """{"clientId":5}""", "clientId", "clientId must be a string." },
        { "/api/v1/clients", """{"clientId":null}""", "clientId", "clientId must be a string." },
        { "/api/v1/clients", "[]", "body", "body must be a JSON object." },
        { "/api/v1/clients", """{"clientId":""", "body", "The body is not valid JSON" },
        { "/api/v1/users", """{"userName":"a","enabled":"yes"}""", "enabled", "enabled must be true or false." },
        { "/api/v1/clients/{client}/webhooks", """{"name":"a","actions":"Created"}""", "actions", "actions must be an array." },
        { "/api/v1/clients/{client}/webhooks", """{"name":"a","actions":[true]}""", "actions[0]", "actions[0] must be one of" },
        { "/api/v1/clients/{client}/webhooks", """{"name":"a","headers":[{"name":"X-A","value":"b","secret":"no"}]}""", "headers[0].secret", "headers[0].secret must be true or false." },
        { "/api/v1/clients/{client}/webhooks", """{"name":"a","headers":{"X-A":"b"}}""", "headers", "headers must be an array." },
        { "/api/v1/users/{user}/reset-password", "{}", "password", "password is required." },
        { "/api/v1/clients", """{"clientId":"x","redirectUris":"https://a.example/cb"}""", "redirectUris", "redirectUris must be an array." },
        { "/api/v1/clients/{client}/webhooks", """{"name":"a","signIns":{}}""", "signIns", "signIns must be one of: AnyClient, ThisClient" },
        { "/api/v1/clients/{client}/webhooks", """{"name":"a","actions":["Created"],"robotSecret":12.5}""", "robotSecret", "robotSecret must be a string." },
        { "/api/v1/users", """{"userName":["a"]}""", "userName", "userName must be a string." },
        { "/api/v1/clients", "{\"clientId\":" + new string('[', 100) + new string(']', 100) + "}", "body", "The body is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task An_unreadable_body_names_the_field_and_what_it_must_be_but_no_dotnet_type(string path, string body, string field, string message)
    {
        using var api = await ApiAsync();
        var clientId = PortalData.UniqueName("unreadable");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
        var user = await Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("unreadable")));
        using var request = new HttpRequestMessage(HttpMethod.Post, path.Replace("{client}", clientId).Replace("{user}", user.Id))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        var response = await SendAsync(api, request);

        var errors = response.FieldErrors(field);
        Assert.True(errors.Any(e => e.StartsWith(message, StringComparison.Ordinal)), $"No error starting \"{message}\" in {response.Body}");
        NamesNoType(response.Body);
    }

    [Theory]
    [InlineData("/api/v1/clients?page=abc", "page")]
    [InlineData("/api/v1/deliveries/00000000-0000-0000-0000-000000000000/redeliver", null)]
    public async Task A_query_or_body_that_cannot_be_bound_names_no_dotnet_type(string path, string? field)
    {
        using var api = await ApiAsync();

        var response = path.Contains("redeliver", StringComparison.Ordinal)
            ? await api.PostAsync(path)
            : await api.GetAsync(path);

        Assert.True((int)response.Status is >= 400 and < 500, $"{(int)response.Status}: {response.Body}");
        Assert.Equal("application/problem+json", response.MediaType);
        if (field is not null)
        {
            Assert.NotEmpty(response.FieldErrors(field));
        }

        NamesNoType(response.Body);
    }

    [Fact]
    public async Task A_POST_without_the_body_it_needs_is_a_400_saying_so()
    {
        using var api = await ApiAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients");

        var response = await SendAsync(api, request);

        Assert.True((int)response.Status is 400 or 415, $"{(int)response.Status}: {response.Body}");
        Assert.Equal("application/problem+json", response.MediaType);
        NamesNoType(response.Body);
    }

    [Theory]
    [InlineData("to=9999-12-31")]
    [InlineData("from=9999-12-31&to=9999-12-31")]
    [InlineData("from=0001-01-01&to=0001-01-01")]
    public async Task Deliveries_filtered_to_the_ends_of_the_calendar_are_listed_not_a_500(string query)
    {
        using var api = await ApiAsync();

        var response = (await api.GetAsync("/api/v1/deliveries?" + query)).Is(HttpStatusCode.OK);

        Assert.Equal(System.Text.Json.JsonValueKind.Array, response.Json.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Resetting_a_password_with_an_idempotency_key_writes_no_body_to_its_204()
    {
        using var api = await ApiAsync();
        var user = await Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("reset204")));
        var key = "reset-" + Guid.NewGuid().ToString("N");
        var before = Factory.Logs.Lines.Count;

        var first = (await api.PostAsync($"/api/v1/users/{user.Id}/reset-password", new { password = "N3w-Passw0rd!" }, key)).Is(HttpStatusCode.NoContent);
        var replay = (await api.PostAsync($"/api/v1/users/{user.Id}/reset-password", new { password = "N3w-Passw0rd!" }, key)).Is(HttpStatusCode.NoContent);

        Assert.Equal("", first.Body);
        Assert.Equal("", replay.Body);
        Assert.Equal("true", replay.Headers[WebhookPortal.Features.Api.IdempotencyFilter.ReplayedHeader]);
        // Kestrel reports a write to a 204 (even of nothing) when the response completes, on a thread of its own.
        await Task.Delay(200);
        Assert.DoesNotContain(Factory.Logs.Lines.Skip(before), line => line.Contains("invalid for responses with status code 204", StringComparison.Ordinal)
            || line.Contains("Writing to the response body is invalid", StringComparison.Ordinal));
    }

    /// <summary>An API client with a new administrator token, over TCP to the Kestrel host.</summary>
    private async Task<ApiClient> ApiAsync()
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Factory.ServerAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiClient.CreateTokenAsync(Factory));
        return new ApiClient(http);
    }

    /// <summary>Fails if <paramref name="body"/> names a .NET type or namespace.</summary>
    internal static void NamesNoType(string body)
    {
        foreach (var leak in new[] { "WebhookPortal.", "System.", "Microsoft.", "`1", "Nullable", "Boolean", "Int32", "String", "List", "Model", "Request\"" })
        {
            Assert.False(body.Contains(leak, StringComparison.Ordinal), $"The answer names \"{leak}\": {body}");
        }
    }

    private static async Task<ApiResponse> SendAsync(ApiClient api, HttpRequestMessage request)
    {
        using var response = await api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, headers);
    }

    private static string Fill(RouteEndpoint endpoint)
    {
        var path = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var value = parameter.ParameterPolicies.Any(p => p.Content is "int" or "long") ? "1"
                : parameter.ParameterPolicies.Any(p => p.Content == "guid") ? Guid.Empty.ToString()
                : "x";
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + parameter.Name + "[^}]*\\}", value);
        }

        return path;
    }
}
