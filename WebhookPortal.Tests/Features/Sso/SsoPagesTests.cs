using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>
/// The two pages the single sign-on endpoints end on: the error page for a request that cannot be answered to its client,
/// showing the error code and description as text, and the signed-out page; both open to anyone, in both languages.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SsoPagesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("en", "This sign-in request cannot be completed", "Error code", "Go to the portal home")]
    [InlineData("zh-CN", "无法完成此登录请求", "错误代码", "前往门户首页")]
    public async Task The_error_page_shows_the_code_and_description(string culture, string title, string codeLabel, string home)
    {
        var html = await GetAsync("/sso/error?error=invalid_request&error_description=" + Uri.EscapeDataString("The specified 'redirect_uri' is not valid for this client application."), culture);

        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains(codeLabel, html, StringComparison.Ordinal);
        Assert.Contains("<code data-user-content>invalid_request</code>", html, StringComparison.Ordinal);
        Assert.Contains("The specified 'redirect_uri' is not valid for this client application.", html, StringComparison.Ordinal);
        Assert.Contains($"<a href class=\"btn btn-primary\">{home}</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_error_page_shows_markup_in_the_query_as_text()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var raw = await client.GetStringAsync("/sso/error?error=%3Cscript%3Ex%3C%2Fscript%3E&error_description=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");

        Assert.DoesNotContain("<script>x", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", raw, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_error_page_without_an_error_still_says_what_happened()
    {
        var html = await GetAsync("/sso/error", "en");

        Assert.Contains("<h1>This sign-in request cannot be completed</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Error code", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "You have signed out.", "Sign in again")]
    [InlineData("zh-CN", "您已退出登录。", "重新登录")]
    public async Task The_signed_out_page_offers_to_sign_in_again(string culture, string title, string again)
    {
        var html = await GetAsync("/sso/signed-out", culture);

        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"Account/Login\" class=\"btn btn-primary\">{again}</a>", html, StringComparison.Ordinal);
    }

    private async Task<string> GetAsync(string path, string culture)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept-Language", culture);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("class=\"account-card\"", html, StringComparison.Ordinal);
        return html;
    }
}
