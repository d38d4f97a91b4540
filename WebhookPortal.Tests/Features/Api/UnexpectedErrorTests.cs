using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// A bug in an endpoint must not reach an API client as the developer exception page, the portal's HTML error page or an
/// empty answer: it is a 500 problem without the exception's text or stack, in every environment, and the log has it.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UnexpectedErrorTests
{
    private const string ThrowingPath = "/api/v1/test-only/throws";
    private const string Internals = "connection string Data Source=/secret/path.db failed";

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task An_exception_in_an_endpoint_is_a_500_problem_without_internals(string environment)
    {
        await using var portal = PortalFactory.Create();
        await using var factory = portal.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ThrowingEndpoint>());
        });
        var token = await TokenAsync(factory.Services);
        using var http = factory.CreateClient(new() { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put })
        {
            using var request = new HttpRequestMessage(method, ThrowingPath) { Content = method == HttpMethod.Get ? null : new StringContent("{}", null, "application/json") };
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = System.Text.Json.JsonDocument.Parse(body).RootElement;
            Assert.Equal(500, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
            Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
            Assert.DoesNotContain("ThrowingEndpoint", body, StringComparison.Ordinal);
            HostileRequestTests.NamesNoType(body);
        }

        Assert.Contains(portal.Logs.Lines, line => line.Contains(Internals, StringComparison.Ordinal));
    }

    private static async Task<string> TokenAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(PortalFactory.AdminUserName);
        var created = await services.GetRequiredService<ApiTokens>()
            .CreateAsync(admin!.Id, new ApiTokenModel { Name = "throws", ExpiresInDays = 1 }, AuditActor.System);
        return created.Token;
    }

    /// <summary>Puts an endpoint that throws at <see cref="ThrowingPath"/>, ahead of routing, so it runs where API endpoints run.</summary>
    private sealed class ThrowingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var endpoint = new Endpoint(_ => throw new InvalidOperationException(Internals), new EndpointMetadataCollection(), "Test: throws");
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Path.Equals(ThrowingPath, StringComparison.Ordinal))
                {
                    // Routing leaves an endpoint that is already set alone.
                    context.SetEndpoint(endpoint);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
