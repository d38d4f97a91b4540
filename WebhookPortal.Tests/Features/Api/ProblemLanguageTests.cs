using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// The API's problems in the language of <c>Accept-Language</c>: titles and details of 401, 403, 404 (a missing resource
/// and a path no endpoint matches) and binding errors are Chinese for <c>zh-CN</c> and English without the header.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ProblemLanguageTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient admin = null!;
    private ApiClient auditor = null!;
    private ApiClient anonymous = null!;

    public async Task InitializeAsync()
    {
        admin = await ApiClient.ForAsync(factory);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("auditor")));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await users.SetRoleAsync((await users.FindByNameAsync(user.UserName!))!, PortalRole.Auditor)).Succeeded);
        }

        auditor = await ApiClient.ForAsync(factory, user.UserName!);
        anonymous = ApiClient.WithToken(factory, null);
    }

    public Task DisposeAsync()
    {
        admin.Dispose();
        auditor.Dispose();
        anonymous.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Problems_are_Chinese_for_a_zh_CN_reader()
    {
        foreach (var api in new[] { admin, auditor, anonymous })
        {
            api.Http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));
        }

        var missing = (await admin.GetAsync("/api/v1/clients/nope")).IsProblem(HttpStatusCode.NotFound).Json;
        Assert.Equal("未找到", missing.GetProperty("title").GetString());
        Assert.Equal("Client ID nope 不存在。", missing.GetProperty("detail").GetString());

        var noRoute = (await admin.GetAsync("/api/v1/nothing-here")).IsProblem(HttpStatusCode.NotFound).Json;
        Assert.Equal("没有与 GET /api/v1/nothing-here 匹配的 API 端点。", noRoute.GetProperty("detail").GetString());

        var forbidden = (await auditor.DeleteAsync("/api/v1/clients/nope")).IsProblem(HttpStatusCode.Forbidden).Json;
        Assert.Equal("禁止访问", forbidden.GetProperty("title").GetString());
        Assert.Equal("API 仅供管理员使用；审计员只能读取（GET）。", forbidden.GetProperty("detail").GetString());

        var unauthorized = (await anonymous.GetAsync("/api/v1/clients")).IsProblem(HttpStatusCode.Unauthorized).Json;
        Assert.Equal("未认证", unauthorized.GetProperty("title").GetString());
        Assert.StartsWith("请以“Authorization: Bearer wp_…”发送有效的 API 令牌", unauthorized.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var badQuery = await admin.GetAsync("/api/v1/clients?page=x");
        Assert.Equal(["page 必须是整数。"], badQuery.FieldErrors("page"));
        Assert.Equal("无法读取参数。", badQuery.Json.GetProperty("title").GetString());

        var badBody = await admin.PostAsync("/api/v1/clients", new { clientId = 5 });
        Assert.Equal(["clientId 必须是字符串。"], badBody.FieldErrors("clientId"));
        Assert.Equal("无法将请求体读取为此操作的 JSON。", badBody.Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Problems_are_English_without_Accept_Language()
    {
        var missing = (await admin.GetAsync("/api/v1/clients/nope")).IsProblem(HttpStatusCode.NotFound).Json;
        Assert.Equal("Not found", missing.GetProperty("title").GetString());
        Assert.Equal("Client ID nope does not exist.", missing.GetProperty("detail").GetString());

        var forbidden = (await auditor.DeleteAsync("/api/v1/clients/nope")).IsProblem(HttpStatusCode.Forbidden).Json;
        Assert.Equal("The API is for administrators; auditors may only read (GET).", forbidden.GetProperty("detail").GetString());

        var unauthorized = (await anonymous.GetAsync("/api/v1/clients")).IsProblem(HttpStatusCode.Unauthorized).Json;
        Assert.Equal("Unauthorized", unauthorized.GetProperty("title").GetString());

        Assert.Equal(["page must be a whole number."], (await admin.GetAsync("/api/v1/clients?page=x")).FieldErrors("page"));
        Assert.Equal(["clientId must be a string."], (await admin.PostAsync("/api/v1/clients", new { clientId = 5 })).FieldErrors("clientId"));
    }
}
