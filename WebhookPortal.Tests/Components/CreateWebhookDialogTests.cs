using Bunit;
using MudBlazor;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

public sealed class CreateWebhookDialogTests : MudBunitContext
{
    private const string Dialog = ".mud-dialog";

    [Fact]
    public async Task Ok_returns_a_webhook_holding_exactly_what_was_entered()
    {
        var (cut, dialog) = await OpenAsync();
        const string body = """{"msgtype":"text","text":{"content":"{{$$.Name$$}} 加入了 🎉"}}""";

        await cut.FillAsync(Dialog, "Name", "New users to WeCom");
        await cut.SelectAsync(Dialog, "Action", "Delete");
        await cut.FillAsync(Dialog, "URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123");
        await cut.SelectAsync(Dialog, "Method", "PUT");
        await cut.FillAsync(Dialog, "Message Body", body);
        await cut.ClickAsync(Dialog, "OK");

        var result = await dialog.Result.WaitAsync(Timeout);
        Assert.False(result!.Canceled);
        var webhook = Assert.IsType<WebhookModel>(result.Data);
        Assert.Equal("New users to WeCom", webhook.Name);
        Assert.Equal(WebhookObject.User, webhook.Object);
        Assert.Equal([UserAction.Created, UserAction.Deleted], webhook.Actions.Order());
        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123", webhook.Url);
        Assert.Equal("PUT", webhook.Method);
        Assert.Equal(body, webhook.Body);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Dialog)), Timeout);
    }

    [Fact]
    public async Task Message_body_is_prefilled_with_the_default_body()
    {
        var (cut, dialog) = await OpenAsync();

        Assert.Equal(TemplateRenderer.DefaultBody, cut.Find(Dialog).ByLabel("Message Body").GetAttribute("value"));

        await cut.FillAsync(Dialog, "Name", "Defaults");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.ClickAsync(Dialog, "OK");
        var result = await dialog.Result.WaitAsync(Timeout);
        Assert.Equal(TemplateRenderer.DefaultBody, Assert.IsType<WebhookModel>(result!.Data).Body);
    }

    [Fact]
    public async Task An_unknown_variable_in_the_message_body_keeps_the_dialog_open_and_suggests_the_right_name()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Typo");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.FillAsync(Dialog, "Message Body", """{"x":"{{$$.Nmae$$}}"}""");

        var submitting = await cut.ClickAsync(Dialog, "OK");
        await submitting.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Unknown variable {{$$.Nmae$$}}; did you mean {{$$.Name$$}}?", cut.Find(Dialog).TextContent), Timeout);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Theory]
    [InlineData("/hooks/new-users")]
    [InlineData("hooks.example.com/new-users")]
    [InlineData("ftp://example.com/new-users")]
    public async Task A_url_that_is_not_absolute_http_keeps_the_dialog_open_and_says_why(string url)
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Bad URL");
        await cut.FillAsync(Dialog, "URL", url);

        var submitting = await cut.ClickAsync(Dialog, "OK");
        await submitting.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("URL must be an absolute http:// or https:// address.", cut.Find(Dialog).TextContent), Timeout);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Cancel_returns_a_canceled_result()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Never saved");

        await cut.ClickAsync(Dialog, "Cancel");

        var result = await dialog.Result.WaitAsync(Timeout);
        Assert.True(result!.Canceled);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Dialog)), Timeout);
    }

    [Fact]
    public async Task Every_input_is_named_by_its_visible_label()
    {
        var (cut, _) = await OpenAsync();
        var root = cut.Find(Dialog);

        var labels = root.QuerySelectorAll("label").Select(l => (string?)l.TextContent.Trim()).ToList();
        var names = AccessibleNames.Controls(root).Select(AccessibleNames.NameOf).ToList();

        Assert.Equal(["Name", "Object", "Action", "URL", "Method", "Message Body"], labels);
        Assert.Equal(labels, names);
    }

    private async Task<(IRenderedComponent<MudProviders> Cut, IDialogReference Dialog)> OpenAsync()
    {
        var cut = RenderProviders();
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateWebhookDialog>("Create Webhook"));
        cut.WaitForElement(Dialog, Timeout);
        return (cut, dialog);
    }
}
