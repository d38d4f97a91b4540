using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>An HTTP client for the API of a test host, authenticated with a real token made by <see cref="ApiTokens"/>.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    /// <summary>A client with a new token of <paramref name="userName"/> (the administrator by default).</summary>
    public static async Task<ApiClient> ForAsync(PortalFactory factory, string userName = PortalFactory.AdminUserName) =>
        WithToken(factory, await CreateTokenAsync(factory, userName));

    /// <summary>A client sending <paramref name="token"/> as its bearer token (none when null).</summary>
    public static ApiClient WithToken(PortalFactory factory, string? token)
    {
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return new ApiClient(http);
    }

    /// <summary>Creates a token for <paramref name="userName"/> as the API tokens page does and returns it.</summary>
    public static async Task<string> CreateTokenAsync(PortalFactory factory, string userName = PortalFactory.AdminUserName, int expiresInDays = 30)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(userName)
            ?? throw new InvalidOperationException($"No user {userName}.");
        var created = await factory.Services.GetRequiredService<ApiTokens>()
            .CreateAsync(user.Id, new ApiTokenModel { Name = "test " + Guid.NewGuid().ToString("N")[..6], ExpiresInDays = expiresInDays }, AuditActor.System);
        return created.Token;
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> PostAsync(string path, object? body = null, string? idempotencyKey = null) => SendAsync(HttpMethod.Post, path, body, idempotencyKey);

    public Task<ApiResponse> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyFilter.Header, idempotencyKey);
        }

        if (ifMatch is not null)
        {
            // Without validation: the tests also send weak and malformed tags on purpose.
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text,
            response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase));
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>A response read in full.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string? MediaType, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Fails unless the status is <paramref name="expected"/>, showing the body.</summary>
    public ApiResponse Is(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected} {expected}, got {(int)Status} {Status}: {Body}");
        return this;
    }

    /// <summary>Fails unless this is an RFC 9457 problem of <paramref name="expected"/>.</summary>
    public ApiResponse IsProblem(HttpStatusCode expected)
    {
        Is(expected);
        Assert.Equal("application/problem+json", MediaType);
        Assert.Equal((int)expected, Json.GetProperty("status").GetInt32());
        return this;
    }

    /// <summary>The messages of a 400's field <paramref name="field"/>.</summary>
    public IReadOnlyList<string> FieldErrors(string field)
    {
        IsProblem(HttpStatusCode.BadRequest);
        return Json.GetProperty("errors").TryGetProperty(field, out var errors) ? [.. errors.EnumerateArray().Select(e => e.GetString()!)] : [];
    }
}
