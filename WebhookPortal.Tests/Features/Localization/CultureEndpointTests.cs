using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Localization;

/// <summary>Choosing the language: <c>/culture</c> sets the standard culture cookie and redirects back; pages follow it.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class CultureEndpointTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory factory;

    public CultureEndpointTests(PortalFactory factory) => this.factory = factory;

    [Fact]
    public async Task Sets_the_culture_cookie_and_redirects_back()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/culture?culture=zh-CN&redirectUri=%2Fclients%3Fx%3D1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/clients?x=1", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".AspNetCore.Culture=c%3Dzh-CN%7Cuic%3Dzh-CN;", cookie, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task Never_redirects_to_another_site(string redirectUri)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/culture?culture=en&redirectUri=" + Uri.EscapeDataString(redirectUri));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_unsupported_culture_sets_no_cookie()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/culture?culture=fr&redirectUri=%2F");

        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_sign_in_page_is_English_by_default_and_Chinese_with_the_cookie()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var english = await client.GetStringAsync("/Account/Login");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Dzh-CN%7Cuic%3Dzh-CN");
        using var response = await client.SendAsync(request);
        // Blazor encodes non-ASCII text as character references.
        var chinese = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("<h1>Sign in</h1>", english);
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("<h1>登录</h1>", chinese);
        Assert.Contains("<html lang=\"zh-CN\">", chinese);
    }

    [Fact]
    public async Task After_choosing_Chinese_the_dashboard_and_navigation_are_Chinese()
    {
        using var account = AccountClient.For(factory);
        await account.LoginAsync(PortalFactory.AdminEmail, PortalFactory.AdminPassword);

        using var choose = await account.Http.GetAsync("/culture?culture=zh-CN&redirectUri=%2F");
        var html = WebUtility.HtmlDecode(await account.Http.GetStringAsync("/"));

        Assert.Contains("仪表盘", html);
        Assert.Contains("接入管理", html);
        Assert.Contains("用户与访问控制", html);
        Assert.DoesNotContain(">Docking Portal<", html);
    }
}
