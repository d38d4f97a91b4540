using System.Net;
using System.Text.Json;
using WebhookPortal.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>The OpenAPI document lists every endpoint with its errors and the bearer scheme; the reference page is served locally; the catalogue.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class OpenApiDocumentTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "get", "/api/v1/clients" }, { "post", "/api/v1/clients" }, { "get", "/api/v1/clients/{clientId}" },
        { "put", "/api/v1/clients/{clientId}" }, { "delete", "/api/v1/clients/{clientId}" }, { "post", "/api/v1/clients/{clientId}/rotate-secret" },
        { "get", "/api/v1/clients/{clientId}/webhooks" }, { "post", "/api/v1/clients/{clientId}/webhooks" },
        { "get", "/api/v1/clients/{clientId}/webhooks/{id}" }, { "put", "/api/v1/clients/{clientId}/webhooks/{id}" },
        { "delete", "/api/v1/clients/{clientId}/webhooks/{id}" }, { "post", "/api/v1/clients/{clientId}/webhooks/{id}/enable" },
        { "post", "/api/v1/clients/{clientId}/webhooks/{id}/disable" }, { "post", "/api/v1/clients/{clientId}/webhooks/{id}/test" },
        { "post", "/api/v1/clients/{clientId}/webhooks/{id}/rotate-secret" },
        { "post", "/api/v1/clients/{clientId}/webhooks/{id}/cancel-paused" }, { "post", "/api/v1/clients/{clientId}/webhooks/{id}/recover" },
        { "get", "/api/v1/users" }, { "post", "/api/v1/users" }, { "get", "/api/v1/users/{id}" }, { "put", "/api/v1/users/{id}" },
        { "delete", "/api/v1/users/{id}" }, { "post", "/api/v1/users/{id}/enable" }, { "post", "/api/v1/users/{id}/disable" },
        { "post", "/api/v1/users/{id}/reset-password" },
        { "put", "/api/v1/users/{id}/role" },
        { "get", "/api/v1/deliveries" }, { "get", "/api/v1/deliveries/{id}" }, { "post", "/api/v1/deliveries/{id}/redeliver" },
        { "post", "/api/v1/deliveries/{id}/retry" }, { "post", "/api/v1/deliveries/{id}/cancel" },
        { "get", "/api/v1/catalogue" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Lists_the_endpoint_with_its_auth_errors(string method, string path)
    {
        var document = await DocumentAsync();

        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is not in the document");
        var responses = operation.GetProperty("responses");
        Assert.True(responses.TryGetProperty("401", out _));
        Assert.True(responses.TryGetProperty("403", out _));
        Assert.True(operation.TryGetProperty("summary", out _));
        if (method == "post")
        {
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == IdempotencyFilter.Header);
        }
    }

    [Fact]
    public async Task Lists_nothing_but_the_api()
    {
        var document = await DocumentAsync();

        Assert.All(document.GetProperty("paths").EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name));
        Assert.Equal(Endpoints.Count, document.GetProperty("paths").EnumerateObject().Sum(p => p.Value.EnumerateObject().Count(m => m.Name != "parameters")));
    }

    [Fact]
    public async Task Declares_the_bearer_scheme_and_problem_details()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        var create = document.GetProperty("paths").GetProperty("/api/v1/clients").GetProperty("post").GetProperty("responses");
        Assert.True(create.TryGetProperty("400", out _));
        Assert.True(create.TryGetProperty("409", out _));
        Assert.True(create.TryGetProperty("201", out _));
    }

    [Theory]
    [InlineData("ClientModel", "clientId")]
    [InlineData("WebhookRequest", "url")]
    [InlineData("UserModel", "userName")]
    [InlineData("ResetPasswordRequest", "password")]
    public async Task Gives_every_request_body_an_example(string schema, string property)
    {
        var document = await DocumentAsync();

        var examples = document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("examples");

        Assert.True(examples[0].TryGetProperty(property, out _), $"{schema}'s example has no {property}: {examples}");
    }

    [Fact]
    public async Task Serves_the_reference_page_and_its_script_from_the_portal()
    {
        using var http = factory.CreateClient();

        using var page = await http.GetAsync(ApiExtensions.ReferencePath + "/");
        var html = await page.Content.ReadAsStringAsync();
        using var script = await http.GetAsync(ApiExtensions.ReferencePath + "/scalar.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<script src=\"scalar.js\"></script>", html);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'unsafe-inline'", csp);
        using var home = await http.GetAsync("/Account/Login");
        Assert.DoesNotContain("unsafe-inline'", string.Join(" ", home.Headers.GetValues("Content-Security-Policy")).Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Serves_the_variable_catalogue_per_action()
    {
        using var api = await ApiClient.ForAsync(factory);

        var catalogue = (await api.GetAsync("/api/v1/catalogue")).Is(HttpStatusCode.OK).Json;

        var user = Assert.Single(catalogue.EnumerateArray());
        Assert.Equal("User", user.GetProperty("object").GetString());
        var login = user.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "LoggedIn");
        Assert.Equal("user.login", login.GetProperty("eventType").GetString());
        Assert.Contains("IPAddress", login.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        var email = user.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Email");
        Assert.Equal("{{$$.Email$$}}", email.GetProperty("placeholder").GetString());
        Assert.Equal("zhangwei@example.com", email.GetProperty("example").GetString());
    }

    [Theory]
    [InlineData("/api/v1/clients/{clientId}")]
    [InlineData("/api/v1/clients/{clientId}/webhooks/{id}")]
    [InlineData("/api/v1/users/{id}")]
    public async Task Documents_the_etag_of_get_and_if_match_with_412_on_put_and_delete(string path)
    {
        var item = (await DocumentAsync()).GetProperty("paths").GetProperty(path);

        Assert.True(item.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        foreach (var method in new[] { "put", "delete" })
        {
            var operation = item.GetProperty(method);
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match");
            Assert.True(operation.GetProperty("responses").TryGetProperty("412", out _), $"{method} {path} does not document 412");
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var http = factory.CreateClient();
        using var response = await http.GetAsync(ApiExtensions.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
