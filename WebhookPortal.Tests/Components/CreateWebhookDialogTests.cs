using Bunit;
using MudBlazor;
using WebhookPortal.Components.Shared;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

[Trait("Category", TestCategories.Unit)]
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
        Assert.Equal(WebhookTarget.WeCom, webhook.EffectiveTarget);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Dialog)), Timeout);
    }

    [Fact]
    public async Task Ok_returns_the_headers_the_robot_secret_and_the_chosen_target()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Signed DingTalk");
        await cut.FillAsync(Dialog, "URL", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n");
        await cut.FillAsync(Dialog, "Robot secret", "SEC0123456789abcdef");
        await cut.ClickAsync(Dialog, "Add header");
        await cut.FillAsync(Dialog, "Header 1 name", "X-Client");
        await cut.FillAsync(Dialog, "Header 1 value", "{{$$.ClientID$$}}");
        await cut.ClickAsync(Dialog, "Add header");
        await cut.FillAsync(Dialog, "Header 2 name", "Authorization");
        await cut.FillAsync(Dialog, "Header 2 value", "Bearer s3cr3t");
        await cut.InvokeAsync(() => cut.Find(Dialog).ByLabel("Header 2 secret").ChangeAsync(new() { Value = true }));

        await cut.ClickAsync(Dialog, "OK");

        var webhook = Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data);
        Assert.Equal(WebhookTarget.DingTalk, webhook.EffectiveTarget);
        Assert.Equal(WebhookTarget.DingTalk, webhook.Target);
        Assert.Equal("SEC0123456789abcdef", webhook.RobotSecret);
        Assert.Equal([new WebhookHeader("X-Client", "{{$$.ClientID$$}}"), new WebhookHeader("Authorization", "Bearer s3cr3t", Secret: true)], webhook.Headers);
        Assert.Equal(WebhookPresets.For(WebhookTarget.DingTalk).Template, webhook.Body);
    }

    [Fact]
    public async Task A_secret_header_value_is_a_password_field_until_shown()
    {
        var (cut, _) = await OpenAsync();
        await cut.ClickAsync(Dialog, "Add header");
        Assert.Equal("text", cut.Find(Dialog).ByLabel("Header 1 value").GetAttribute("type"));

        await cut.InvokeAsync(() => cut.Find(Dialog).ByLabel("Header 1 secret").ChangeAsync(new() { Value = true }));

        cut.WaitForAssertion(() => Assert.Equal("password", cut.Find(Dialog).ByLabel("Header 1 value").GetAttribute("type")), Timeout);
        await cut.ClickAsync(Dialog, "Show value");
        cut.WaitForAssertion(() => Assert.Equal("text", cut.Find(Dialog).ByLabel("Header 1 value").GetAttribute("type")), Timeout);
    }

    [Fact]
    public async Task Message_body_is_prefilled_with_the_default_body()
    {
        var (cut, dialog) = await OpenAsync();

        Assert.Equal(TemplateRenderer.DefaultBody, BodyText(cut));

        await cut.FillAsync(Dialog, "Name", "Defaults");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.ClickAsync(Dialog, "OK");
        var result = await dialog.Result.WaitAsync(Timeout);
        Assert.Equal(TemplateRenderer.DefaultBody, Assert.IsType<WebhookModel>(result!.Data).Body);
    }

    [Fact]
    public async Task An_empty_name_is_refused_with_the_reason()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");

        await SubmitAndExpectAsync(cut, dialog, "Name is required.");
    }

    [Fact]
    public async Task A_refused_ok_scrolls_to_the_first_error_once_not_on_every_later_render()
    {
        var (cut, dialog) = await OpenAsync();

        await SubmitAndExpectAsync(cut, dialog, "Name is required.");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.FillAsync(Dialog, "Name", "Typed after the refusal");

        Assert.Single(JSInterop.Invocations["portalDialogs.revealFirstError"]);
    }

    [Fact]
    public async Task A_webhook_without_actions_is_refused_with_the_reason()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "No actions");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.SelectAsync(Dialog, "Action", "Create");

        await SubmitAndExpectAsync(cut, dialog, "Choose at least one action.");
    }

    [Fact]
    public async Task An_unknown_variable_in_the_message_body_keeps_the_dialog_open_and_suggests_the_right_name()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Typo");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.FillAsync(Dialog, "Message Body", """{"x":"{{$$.Nmae$$}}"}""");

        await SubmitAndExpectAsync(cut, dialog, "Line 1, column 7: Unknown variable {{$$.Nmae$$}}; did you mean {{$$.Name$$}}?");
    }

    [Theory]
    [InlineData("/hooks/new-users", "URL must be an absolute http:// or https:// address.")]
    [InlineData("hooks.example.com/new-users", "URL must be an absolute http:// or https:// address.")]
    [InlineData("ftp://example.com/new-users", "URL must be an absolute http:// or https:// address.")]
    [InlineData("https://example.com/hook?user={{$$.Nmae$$}}", "Unknown variable {{$$.Nmae$$}}; did you mean {{$$.Name$$}}?")]
    public async Task A_bad_url_keeps_the_dialog_open_and_says_why(string url, string message)
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Bad URL");
        await cut.FillAsync(Dialog, "URL", url);

        await SubmitAndExpectAsync(cut, dialog, message);
    }

    [Fact]
    public async Task A_url_longer_than_2048_characters_is_refused()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Long URL");
        await cut.FillAsync(Dialog, "URL", "https://example.com/" + new string('a', 2040));

        await SubmitAndExpectAsync(cut, dialog, "URL is longer than 2048 characters.");
    }

    [Fact]
    public async Task A_malformed_variable_is_reported_with_its_line_and_column()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Malformed");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.FillAsync(Dialog, "Message Body", "{\n  \"a\": \"{{$$.Name\"\n}");

        await SubmitAndExpectAsync(cut, dialog, "Line 2, column 9: Malformed variable: write it as {{$$.Field$$}}.");
    }

    [Fact]
    public async Task A_body_that_is_not_json_for_the_hostile_sample_is_refused_with_the_line()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Broken JSON");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.FillAsync(Dialog, "Message Body", "{\n  \"name\": \"{{$$.Name$$}}\",\n  \"enabled\": {{$$.Enabled$$}},\n}");

        // The parser stops at the } of line 4; the comma before it is what to remove.
        await SubmitAndExpectAsync(cut, dialog, "Line 3, column 30: Message Body is not valid JSON: a comma follows the last property or item");
    }

    [Fact]
    public async Task A_body_over_64_KB_is_refused()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Huge");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.FillAsync(Dialog, "Message Body", $$"""{"text":"{{new string('x', 66_000)}}"}""");

        await SubmitAndExpectAsync(cut, dialog, "Message Body is larger than 64 KB.");
    }

    [Fact]
    public async Task Get_disables_the_body_suggests_the_query_and_saves_despite_a_broken_body()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "GET");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook?user={{$$.Name$$}}");
        await cut.FillAsync(Dialog, "Message Body", "not json");

        await cut.SelectAsync(Dialog, "Method", "GET");

        cut.WaitForAssertion(() => Assert.True(cut.Find(Dialog).ByLabel("Message Body").HasAttribute("disabled")), Timeout);
        Assert.Contains("put the values you need into the URL's query instead", cut.Find(Dialog).TextContent);
        cut.WaitForAssertion(() => Assert.Contains("GET sends no body.", PreviewText(cut)), Timeout);
        await cut.ClickAsync(Dialog, "OK");
        Assert.Equal("GET", Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data).Method);
    }

    [Theory]
    [InlineData("X Token", "value", "A name may hold only letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons).")]
    [InlineData("Host", "example.org", "The portal sets this header itself; choose another name.")]
    [InlineData("webhook-id", "1", "The portal sets this header itself; choose another name.")]
    [InlineData("X-Token", "a\r\nInjected: yes", "Value must not contain line breaks or other control characters.")]
    [InlineData("X-User", "{{$$.Nmae$$}}", "Unknown variable {{$$.Nmae$$}}; did you mean {{$$.Name$$}}?")]
    [InlineData("", "orphan", "Name is required.")]
    public async Task A_bad_header_row_says_why_next_to_the_row(string name, string value, string message)
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Headers");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.ClickAsync(Dialog, "Add header");
        await cut.FillAsync(Dialog, "Header 1 name", name);
        await cut.FillAsync(Dialog, "Header 1 value", value);

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find(".webhook-header-row[data-row='1']").TextContent), Timeout);
        await SubmitAndExpectAsync(cut, dialog, message);
    }

    [Fact]
    public async Task A_repeated_header_name_is_marked_on_the_second_row()
    {
        var (cut, _) = await OpenAsync();
        await cut.ClickAsync(Dialog, "Add header");
        await cut.FillAsync(Dialog, "Header 1 name", "X-Token");
        await cut.ClickAsync(Dialog, "Add header");
        await cut.FillAsync(Dialog, "Header 2 name", "x-token");

        cut.WaitForAssertion(() => Assert.Contains("Appears twice", cut.Find(".webhook-header-row[data-row='2']").TextContent), Timeout);
        Assert.DoesNotContain("Appears twice", cut.Find(".webhook-header-row[data-row='1']").TextContent);
    }

    [Fact]
    public async Task Choosing_a_preset_replaces_an_untouched_body_at_once()
    {
        var (cut, _) = await OpenAsync();

        await cut.ChooseMenuItemAsync(Dialog, "Insert preset", "Slack");

        cut.WaitForAssertion(() => Assert.Equal(WebhookPresets.Find("slack")!.Template, BodyText(cut)), Timeout);
        Assert.Single(cut.FindAll(Dialog));
    }

    [Theory]
    [InlineData("Replace", true)]
    [InlineData("Keep my body", false)]
    public async Task Choosing_a_preset_over_an_edited_body_asks_first(string answer, bool replaced)
    {
        var (cut, _) = await OpenAsync();
        const string edited = """{"mine":"{{$$.Name$$}}"}""";
        await cut.FillAsync(Dialog, "Message Body", edited);

        var choosing = await cut.ChooseMenuItemAsync(Dialog, "Insert preset", "WeCom markdown");
        cut.WaitForAssertion(() => Assert.Contains("Replace your edited Message Body with the WeCom markdown preset?", cut.Markup), Timeout);
        await cut.ClickAsync(null, answer);
        await choosing.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Equal(replaced ? WebhookPresets.Find("wecom-markdown")!.Template : edited, BodyText(cut)), Timeout);
    }

    [Fact]
    public async Task The_preset_menu_lists_every_preset_with_the_targets_first()
    {
        var (cut, _) = await OpenAsync();
        await cut.FillAsync(Dialog, "URL", "https://open.feishu.cn/open-apis/bot/v2/hook/abc");

        await cut.ClickAsync(Dialog, "Insert preset");

        cut.WaitForAssertion(() => Assert.Equal(
            ["Feishu / Lark text", .. WebhookPresets.All.Where(p => p.Target != WebhookTarget.Feishu).Select(p => p.Label)],
            cut.FindAll(".mud-popover-open [role=menuitem]").Select(i => i.TextContent.Trim())), Timeout);
    }

    [Fact]
    public async Task The_target_follows_the_url_and_gives_an_untouched_body_its_preset()
    {
        var (cut, _) = await OpenAsync();
        Assert.Empty(cut.FindAll("input[type=password]"));

        await cut.FillAsync(Dialog, "URL", "https://oapi.dingtalk.com/robot/send?access_token=abc");

        cut.WaitForAssertion(() => Assert.Equal("Auto-detect from URL (DingTalk)", cut.Find(Dialog).ByLabel("Target").GetAttribute("value")), Timeout);
        Assert.Equal(WebhookPresets.For(WebhookTarget.DingTalk).Template, BodyText(cut));
        Assert.Contains("The body is now the DingTalk text preset", cut.Find(Dialog).TextContent);
        Assert.Contains("starts with SEC", cut.Find(Dialog).TextContent);
        Assert.Equal("password", cut.Find(Dialog).ByLabel("Robot secret").GetAttribute("type"));

        await cut.FillAsync(Dialog, "URL", "https://hooks.slack.com/services/T0/B0/XYZ");

        cut.WaitForAssertion(() => Assert.Equal("Auto-detect from URL (Slack)", cut.Find(Dialog).ByLabel("Target").GetAttribute("value")), Timeout);
        Assert.Equal(WebhookPresets.For(WebhookTarget.Slack).Template, BodyText(cut));
        Assert.Throws<InvalidOperationException>(() => cut.Find(Dialog).ByLabel("Robot secret"));
    }

    [Fact]
    public async Task An_edited_body_stays_when_the_target_changes()
    {
        var (cut, _) = await OpenAsync();
        const string edited = """{"mine":"{{$$.Name$$}}"}""";
        await cut.FillAsync(Dialog, "Message Body", edited);

        await cut.FillAsync(Dialog, "URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc");

        cut.WaitForAssertion(() => Assert.Equal("Auto-detect from URL (WeCom)", cut.Find(Dialog).ByLabel("Target").GetAttribute("value")), Timeout);
        Assert.Equal(edited, BodyText(cut));
    }

    [Fact]
    public async Task An_explicitly_chosen_target_sticks_when_the_url_changes()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Chosen");
        await cut.SelectAsync(Dialog, "Target", "Feishu / Lark");
        cut.WaitForAssertion(() => Assert.Equal(WebhookPresets.For(WebhookTarget.Feishu).Template, BodyText(cut)), Timeout);

        await cut.FillAsync(Dialog, "URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc");

        cut.WaitForAssertion(() => Assert.Equal("Feishu / Lark", cut.Find(Dialog).ByLabel("Target").GetAttribute("value")), Timeout);
        Assert.Equal(WebhookPresets.For(WebhookTarget.Feishu).Template, BodyText(cut));
        await cut.ClickAsync(Dialog, "OK");
        var webhook = Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data);
        Assert.Equal((WebhookTarget.Feishu, true, WebhookTarget.Feishu), (webhook.Target, webhook.TargetChosen, webhook.EffectiveTarget));
    }

    [Fact]
    public async Task A_bare_wecom_key_becomes_the_robot_url_and_the_helper_says_so()
    {
        var (cut, _) = await OpenAsync();
        var key = Guid.NewGuid().ToString();

        await cut.FillAsync(Dialog, "URL", "  " + key + " ");

        cut.WaitForAssertion(() => Assert.Equal(WeComTarget.RobotUrl + key, cut.Find(Dialog).ByLabel("URL").GetAttribute("value")), Timeout);
        Assert.Contains("That was a WeCom robot key: it was completed to the robot's URL.", cut.Find(Dialog).TextContent);
        Assert.Equal("Auto-detect from URL (WeCom)", cut.Find(Dialog).ByLabel("Target").GetAttribute("value"));
    }

    [Fact]
    public async Task The_preview_shows_the_request_and_follows_typing()
    {
        var (cut, _) = await OpenAsync();
        cut.WaitForAssertion(() => Assert.Contains("\"username\": \"zhangwei\"", PreviewText(cut)), Timeout);

        await cut.FillAsync(Dialog, "URL", "https://example.com/hook?user={{$$.Name$$}}");
        await cut.FillAsync(Dialog, "Message Body", """{"greeting":"Hello {{$$.FirstName$$}}, {{$$.Name$$}} {{$$.ActionText$$}}"}""");

        cut.WaitForAssertion(() => Assert.Contains("\"greeting\": \"Hello 伟, zhangwei was created\"", PreviewText(cut)), Timeout);
        Assert.Contains("POST https://example.com/hook?user=zhangwei", cut.Find(".preview-request").TextContent);
        Assert.Contains("Content-Type: application/json; charset=utf-8", cut.Find(".preview-headers").TextContent);
        Assert.Contains("X-Webhook-Event: user.created", cut.Find(".preview-headers").TextContent);
    }

    [Fact]
    public async Task The_preview_shows_the_webhooks_own_client_id_not_a_placeholder()
    {
        var (cut, _) = await OpenAsync("crm-bridge");

        await cut.FillAsync(Dialog, "URL", "https://example.com/hook?client={{$$.ClientID$$}}");
        await cut.FillAsync(Dialog, "Message Body", """{"client":"{{$$.ClientID$$}}"}""");

        cut.WaitForAssertion(() => Assert.Contains("\"client\": \"crm-bridge\"", PreviewText(cut)), Timeout);
        Assert.Contains("POST https://example.com/hook?client=crm-bridge", cut.Find(".preview-request").TextContent);
        Assert.DoesNotContain(WebhookPortal.Features.Templates.TemplateSamples.ClientId, cut.Find(Dialog).TextContent);
    }

    [Fact]
    public async Task The_preview_action_changes_the_sample_event()
    {
        var (cut, _) = await OpenAsync();
        await cut.SelectAsync(Dialog, "Action", "Login");
        await CloseActionsAsync(cut);
        await cut.FillAsync(Dialog, "Message Body", """{"text":"{{$$.Name$$}} {{$$.ActionText$$}} from {{$$.IPAddress$$}}"}""");

        await cut.SelectAsync(Dialog, "Preview action", "Login");

        cut.WaitForAssertion(() => Assert.Contains("zhangwei logged in from 203.0.113.7", PreviewText(cut)), Timeout);
        Assert.Contains("X-Webhook-Event: user.login", cut.Find(".preview-headers").TextContent);
    }

    [Fact]
    public async Task A_message_over_the_targets_limit_is_warned_about_and_saved_on_the_second_ok()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Too long");
        await cut.FillAsync(Dialog, "URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc");
        await cut.FillAsync(Dialog, "Message Body", "{\"msgtype\":\"text\",\"text\":{\"content\":\"" + new string('长', 700) + "\"}}");
        cut.WaitForAssertion(() => Assert.Contains("WeCom text content: 2,100 of 2,048 bytes — over the limit", cut.Find(".preview-size").TextContent), Timeout);

        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains("click OK again to save it anyway", cut.Find(".size-warning").TextContent), Timeout);
        Assert.False(dialog.Result.IsCompleted);
        await cut.ClickAsync(Dialog, "OK");
        Assert.False((await dialog.Result.WaitAsync(Timeout))!.Canceled);
    }

    [Fact]
    public async Task The_palette_lists_the_catalogue_and_dims_fields_the_chosen_actions_do_not_carry()
    {
        var (cut, _) = await OpenAsync();

        var chips = cut.FindAll(".variable-palette .mud-chip");
        Assert.Equal(TemplateFields.All.Select(f => f.Name), chips.Select(c => c.TextContent.Trim()));
        Assert.Equal(["IPAddress", "SignInClientID", "ChangedFields"], Dimmed(cut));

        await cut.SelectAsync(Dialog, "Action", "Login");

        cut.WaitForAssertion(() => Assert.Equal(["ChangedFields"], Dimmed(cut)), Timeout);

        static List<string> Dimmed(IRenderedComponent<MudProviders> cut) =>
            [.. cut.FindAll(".variable-palette .palette-field-dimmed").Select(c => c.TextContent.Trim())];
    }

    [Fact]
    public async Task Without_an_editor_cursor_the_palette_appends_to_the_plain_text_body()
    {
        var (cut, _) = await OpenAsync();
        await cut.FillAsync(Dialog, "Message Body", "{\"text\":\"");

        await cut.ClickElementAsync("[aria-label='Insert Email']");

        cut.WaitForAssertion(() => Assert.Equal("{\"text\":\"{{$$.Email$$}}", BodyText(cut)), Timeout);
    }

    [Fact]
    public async Task The_palette_inserts_at_the_monaco_cursor_in_the_middle_of_the_body()
    {
        var monaco = UseMonaco();
        var (cut, dialog) = await OpenAsync();
        var editor = await WaitForMonacoAsync(cut);
        await TypeInMonacoAsync(cut, monaco, editor, "{\n  \"text\": \"Hello  today\"\n}");
        await MoveMonacoCursorAsync(cut, editor, line: 2, startColumn: 18, endColumn: 18);

        await cut.ClickElementAsync("[aria-label='Insert Name']");

        Assert.Equal("{\n  \"text\": \"Hello {{$$.Name$$}} today\"\n}", cut.FindComponent<CreateWebhookDialog>().Instance.Model.Body);
        var edit = JSInterop.Invocations["blazorMonaco.editor.executeEdits"].Single();
        Assert.Contains("\"startLineNumber\":2,\"startColumn\":18,\"endLineNumber\":2,\"endColumn\":18", System.Text.Json.JsonSerializer.Serialize(edit.Arguments[2]), StringComparison.OrdinalIgnoreCase);
        await cut.FillAsync(Dialog, "Name", "Inserted");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.ClickAsync(Dialog, "OK");
        Assert.Equal("{\n  \"text\": \"Hello {{$$.Name$$}} today\"\n}", Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data).Body);
    }

    [Fact]
    public async Task The_palette_replaces_the_monaco_selection_and_a_second_insert_follows_the_first()
    {
        var monaco = UseMonaco();
        var (cut, _) = await OpenAsync();
        var editor = await WaitForMonacoAsync(cut);
        await TypeInMonacoAsync(cut, monaco, editor, "{\"text\": \"Hello NAME!\"}");
        await MoveMonacoCursorAsync(cut, editor, line: 1, startColumn: 17, endColumn: 21);

        await cut.ClickElementAsync("[aria-label='Insert Name']");
        await cut.ClickElementAsync("[aria-label='Insert ActionText']");

        Assert.Equal("{\"text\": \"Hello {{$$.Name$$}}{{$$.ActionText$$}}!\"}", cut.FindComponent<CreateWebhookDialog>().Instance.Model.Body);
    }

    [Fact]
    public async Task Body_errors_are_marked_in_monaco_at_their_line_and_column()
    {
        var monaco = UseMonaco();
        var (cut, _) = await OpenAsync();
        var editor = await WaitForMonacoAsync(cut);

        await TypeInMonacoAsync(cut, monaco, editor, "{\n  \"a\": \"{{$$.Nmae$$}}\"\n}");

        cut.WaitForAssertion(() =>
        {
            var markers = monaco.Module.Invocations["setMarkers"].Select(i => System.Text.Json.JsonSerializer.Serialize(i.Arguments[1])).Last();
            Assert.Contains("\"line\":2,\"column\":9,\"endColumn\":22,\"message\":\"Unknown variable {{$$.Nmae$$}}; did you mean {{$$.Name$$}}?\"", markers);
        }, Timeout);
    }

    [Fact]
    public async Task Cancel_returns_a_canceled_result()
    {
        var (cut, dialog) = await OpenAsync();
        await cut.FillAsync(Dialog, "Name", "Never saved");

        await cut.ClickAsync(Dialog, "Cancel");
        cut.WaitForElement(".mud-message-box", Timeout);
        await cut.ClickAsync(".mud-message-box", "Discard");

        var result = await dialog.Result.WaitAsync(Timeout);
        Assert.True(result!.Canceled);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Dialog)), Timeout);
    }

    [Fact]
    public async Task Every_input_is_named_by_its_visible_label()
    {
        var (cut, _) = await OpenAsync();
        await cut.ClickAsync(Dialog, "Add header");
        var root = cut.Find(Dialog);

        var labels = root.QuerySelectorAll("label").Select(l => (string?)l.TextContent.Trim()).ToList();
        var names = AccessibleNames.Controls(root).Select(AccessibleNames.NameOf).ToList();

        Assert.Equal(["Name", "Object", "Action", "URL", "Method", "Target", "Header 1 name", "Header 1 value", "Header 1 secret", "Message Body", "Preview action", "Keep order per user"], names);
        Assert.Equal(labels.Where(l => l != "Secret"), names.Where(n => n != "Header 1 secret"));
    }

    [Fact]
    public async Task The_sign_ins_choice_appears_with_Login_or_Logout_and_returns_only_this_client()
    {
        var (cut, dialog) = await OpenAsync(clientId: "crm");
        Assert.DoesNotContain("Sign-ins", cut.Find(Dialog).TextContent);

        await cut.SelectAsync(Dialog, "Action", "Logout");
        await CloseActionsAsync(cut);
        cut.WaitForAssertion(() => Assert.Equal("All sign-ins (the portal and every client ID)", cut.Find(Dialog).ByLabel("Sign-ins").GetAttribute("value")), Timeout);
        await cut.SelectAsync(Dialog, "Sign-ins", "Only through this client ID (crm)");
        await cut.FillAsync(Dialog, "Name", "CRM sign-outs");
        await cut.FillAsync(Dialog, "URL", "https://crm.example/hooks/portal");
        await cut.ClickAsync(Dialog, "OK");

        var webhook = Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data);
        Assert.Equal([UserAction.Created, UserAction.LoggedOut], webhook.Actions.Order());
        Assert.Equal(SignInScope.ThisClient, webhook.SignIns);
    }

    [Fact]
    public async Task The_sign_ins_choice_goes_away_without_Login_and_Logout()
    {
        var (cut, _) = await OpenAsync(clientId: "crm");
        await cut.SelectAsync(Dialog, "Action", "Login");
        await CloseActionsAsync(cut);
        cut.WaitForAssertion(() => Assert.Contains("Sign-ins", cut.Find(Dialog).TextContent), Timeout);

        await cut.SelectAsync(Dialog, "Action", "Login");
        await CloseActionsAsync(cut);

        cut.WaitForAssertion(() => Assert.DoesNotContain("Sign-ins", cut.Find(Dialog).TextContent), Timeout);
    }

    [Fact]
    public async Task Keep_order_per_user_is_off_by_default_says_what_it_does_and_returns_on_once_switched()
    {
        var (cut, dialog) = await OpenAsync();
        Assert.False(cut.Find(Dialog).ByLabel("Keep order per user").HasAttribute("checked"));
        Assert.Contains("a later one waits until the earlier one succeeds or finally fails.", cut.Find(Dialog).TextContent);

        await cut.InvokeAsync(() => cut.Find(Dialog).ByLabel("Keep order per user").ChangeAsync(new() { Value = true }));
        await cut.FillAsync(Dialog, "Name", "In order");
        await cut.FillAsync(Dialog, "URL", "https://crm.example/hooks/portal");
        await cut.ClickAsync(Dialog, "OK");

        Assert.True(Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data).OrderedPerUser);
    }

    [Fact]
    public async Task Editing_an_ordered_webhook_shows_the_switch_on_and_can_turn_it_off()
    {
        var cut = RenderProviders();
        var model = WebhookModel.From(new Webhook { Name = "In order", Url = "https://crm.example/hooks/portal", Actions = UserAction.Created, OrderedPerUser = true });
        var parameters = new DialogParameters<CreateWebhookDialog> { { d => d.Model, model }, { d => d.IsEdit, true } };
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateWebhookDialog>("Edit Webhook", parameters));
        cut.WaitForElement(Dialog, Timeout);
        Assert.True(cut.Find(Dialog).ByLabel("Keep order per user").HasAttribute("checked"));

        await cut.InvokeAsync(() => cut.Find(Dialog).ByLabel("Keep order per user").ChangeAsync(new() { Value = false }));
        await cut.ClickAsync(Dialog, "OK");

        Assert.False(Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data).OrderedPerUser);
    }

    private async Task<(IRenderedComponent<MudProviders> Cut, IDialogReference Dialog)> OpenAsync(string clientId)
    {
        var cut = RenderProviders();
        var parameters = new DialogParameters<CreateWebhookDialog> { { d => d.ClientId, clientId } };
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateWebhookDialog>("Create Webhook", parameters));
        cut.WaitForElement(Dialog, Timeout);
        return (cut, dialog);
    }

    [Fact]
    public async Task A_generated_signing_secret_is_shown_whole_with_a_copy_button()
    {
        var (cut, dialog) = await OpenAsync();

        await cut.ClickAsync(Dialog, "Generate signing secret");

        var field = cut.WaitForElement(".new-signing-secret textarea", Timeout);
        Assert.True(field.HasAttribute("readonly"));
        Assert.Contains("Copy it now: it will not be shown again.", cut.Find(Dialog).TextContent);
        await cut.ClickAsync(Dialog, "Copy New signing secret");
        var copied = Assert.IsType<string>(JSInterop.Invocations["navigator.clipboard.writeText"].Single().Arguments.Single());
        Assert.StartsWith("whsec_", copied);
        Assert.Equal(copied, field.GetAttribute("value"));

        await cut.FillAsync(Dialog, "Name", "Signed");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hook");
        await cut.ClickAsync(Dialog, "OK");
        Assert.Equal(copied, Assert.IsType<WebhookModel>((await dialog.Result.WaitAsync(Timeout))!.Data).NewSigningSecret);
    }

    private async Task<(IRenderedComponent<MudProviders> Cut, IDialogReference Dialog)> OpenAsync()
    {
        var cut = RenderProviders();
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateWebhookDialog>("Create Webhook"));
        cut.WaitForElement(Dialog, Timeout);
        return (cut, dialog);
    }

    /// <summary>Clicks OK and checks the dialog stays open, showing <paramref name="message"/>.</summary>
    private static async Task SubmitAndExpectAsync(IRenderedComponent<MudProviders> cut, IDialogReference dialog, string message)
    {
        var submitting = await cut.ClickAsync(Dialog, "OK");
        await submitting.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find(Dialog).TextContent), Timeout);
        Assert.Contains("Not saved: fix the fields marked in red", cut.Find(Dialog).TextContent);
        Assert.False(dialog.Result.IsCompleted);
    }

    // The Action select allows several choices, so its list stays open after a click; a second press closes it.
    private static async Task CloseActionsAsync(IRenderedComponent<MudProviders> cut)
    {
        await cut.InvokeAsync(() => cut.Find(Dialog).ByLabel("Action").MouseDownAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs()));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-popover-open [role=option]")), Timeout);
    }

    private static string? BodyText(IRenderedComponent<MudProviders> cut) => cut.Find(Dialog).ByLabel("Message Body").GetAttribute("value");

    private static string PreviewText(IRenderedComponent<MudProviders> cut) => cut.Find(".webhook-preview").TextContent;

    // Monaco, as far as the component can tell: its module loads at once, and the editor answers getValue with what was
    // "typed". The hand-over from the plain box needs a browser (CodeEditorHandOverTests).
    private sealed record FakeMonaco(BunitJSModuleInterop Module, JSRuntimeInvocationHandler<string> GetValue);

    private FakeMonaco UseMonaco()
    {
        var module = JSInterop.SetupModule("./Components/Shared/CodeEditor.razor.js");
        module.Setup<CodeEditor.MonacoLoad?>("load", _ => true).SetResult(new CodeEditor.MonacoLoad(Loaded: true, Text: null));
        module.SetupVoid("setMarkers", _ => true).SetVoidResult();
        module.SetupVoid("setTheme", _ => true).SetVoidResult();
        return new FakeMonaco(module, JSInterop.Setup<string>("blazorMonaco.editor.getValue", _ => true));
    }

    private static async Task<BlazorMonaco.Editor.StandaloneCodeEditor> WaitForMonacoAsync(IRenderedComponent<MudProviders> cut)
    {
        cut.WaitForAssertion(() => Assert.True(cut.FindComponent<CodeEditor>().Instance.UsesMonaco), Timeout);
        var editor = cut.FindComponent<BlazorMonaco.Editor.StandaloneCodeEditor>().Instance;
        // BlazorMonaco raises OnDidInit once the JS editor exists.
        await cut.InvokeAsync(() => editor.OnDidInit.InvokeAsync());
        return editor;
    }

    /// <summary>What Monaco does when the text changes: it raises the content event, and the component reads the value.</summary>
    private static async Task TypeInMonacoAsync(IRenderedComponent<MudProviders> cut, FakeMonaco monaco, BlazorMonaco.Editor.StandaloneCodeEditor editor, string text)
    {
        monaco.GetValue.SetResult(text);
        await cut.InvokeAsync(() => editor.EventCallback("OnDidChangeModelContent", """{"changes":[],"eol":"\n","versionId":2}"""));
    }

    /// <summary>What Monaco does when the cursor or selection moves (columns are 1-based; equal columns for a plain cursor).</summary>
    private static Task MoveMonacoCursorAsync(IRenderedComponent<MudProviders> cut, BlazorMonaco.Editor.StandaloneCodeEditor editor, int line, int startColumn, int endColumn) =>
        cut.InvokeAsync(() => editor.EventCallback("OnDidChangeCursorSelection", System.Text.Json.JsonSerializer.Serialize(new
        {
            selection = new
            {
                startLineNumber = line, startColumn, endLineNumber = line, endColumn,
                selectionStartLineNumber = line, selectionStartColumn = startColumn, positionLineNumber = line, positionColumn = endColumn,
            },
            secondarySelections = Array.Empty<object>(),
            source = "mouse",
            reason = 3,
        })));
}
