using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Localization;

/// <summary>Without a culture cookie the browser's languages decide: a Chinese browser gets the Chinese portal.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AcceptLanguageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("zh-CN,zh;q=0.9")]
    [InlineData("zh")]
    [InlineData("zh-Hans-CN,zh-Hans;q=0.9,en;q=0.5")]
    [InlineData("zh-SG")]
    public async Task A_Chinese_browser_gets_the_sign_in_page_in_Chinese(string acceptLanguage)
    {
        var html = await GetAsync("/Account/Login", acceptLanguage);

        Assert.Contains("<h1>登录</h1>", html);
        Assert.Contains("<html lang=\"zh-CN\">", html);
    }

    [Fact]
    public async Task A_Chinese_browser_gets_the_not_found_page_in_Chinese()
    {
        var html = await GetAsync("/no-such-page", "zh-CN,zh;q=0.9");

        Assert.Contains("未找到", html);
        Assert.DoesNotContain("Not found", html);
    }

    [Theory]
    [InlineData("en-US,en;q=0.9")]
    [InlineData("fr-FR,fr;q=0.9")]
    [InlineData("")]
    public async Task Other_browsers_get_English(string acceptLanguage)
    {
        var html = await GetAsync("/Account/Login", acceptLanguage);

        Assert.Contains("<h1>Sign in</h1>", html);
        Assert.Contains("<html lang=\"en\">", html);
    }

    [Fact]
    public async Task The_culture_cookie_wins_over_the_browser()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("Accept-Language", "zh-CN,zh;q=0.9");
        request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        using var response = await client.SendAsync(request);

        Assert.Contains("<h1>Sign in</h1>", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> GetAsync(string path, string acceptLanguage)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage.Length > 0)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        // Blazor encodes non-ASCII text as character references.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
