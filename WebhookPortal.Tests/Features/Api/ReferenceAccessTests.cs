using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WebhookPortal.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>Without <c>Api:PublicReference</c> (every environment but Development) the OpenAPI document and the reference need a sign-in.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ReferenceAccessTests : IAsyncLifetime
{
    private readonly PortalFactory factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
    {
        [ApiExtensions.PublicReferenceSetting] = "false",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_document_needs_an_administrators_token_or_sign_in()
    {
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var api = await ApiClient.ForAsync(factory);

        using var refused = await anonymous.GetAsync(ApiExtensions.DocumentPath);
        var read = await api.GetAsync(ApiExtensions.DocumentPath);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Contains("\"openapi\"", read.Body);
    }

    [Fact]
    public async Task The_reference_page_sends_a_visitor_to_sign_in()
    {
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var page = await anonymous.GetAsync(ApiExtensions.ReferencePath + "/");

        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location?.OriginalString ?? "");
    }
}
