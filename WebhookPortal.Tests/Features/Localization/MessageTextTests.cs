using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Features.Localization;

/// <summary>Stored messages shown in the reader's language: delivery errors, auto-disable reasons, audit details, and old English rows.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class MessageTextTests
{
    [Fact]
    public void A_timeout_reads_in_English_and_in_Chinese()
    {
        var stored = Stored(AttemptOutcome.RetryableFailure(new CodedMessage(MessageCodes.TimedOut, "15"), TimeSpan.Zero).Error);

        Assert.Equal("""["delivery.timed_out","15"]""", stored);
        Assert.Equal("Timed out after 15 s.", InCulture("en", () => MessageText.Render(stored)));
        Assert.Equal("15 秒后超时。", InCulture("zh-CN", () => MessageText.Render(stored)));
    }

    [Fact]
    public void A_network_guard_refusal_localizes_every_frame_and_keeps_the_address()
    {
        var refusal = new CodedMessage(MessageCodes.GuardRefused,
            new CodedMessage(MessageCodes.HostRefused, "hooks.internal", "10.1.2.3", new CodedMessage(MessageCodes.PrivateAddress)));
        var stored = refusal.Serialize();

        Assert.Equal("Refused by the network guard: Host hooks.internal resolves to 10.1.2.3, a private (RFC 1918) address; webhooks may only reach public addresses.",
            InCulture("en", () => MessageText.Render(stored)));
        Assert.Equal("被网络防护拒绝：主机 hooks.internal 解析为 10.1.2.3，这是私有（RFC 1918）地址；Webhook 只能访问公网地址。",
            InCulture("zh-CN", () => MessageText.Render(stored)));
    }

    [Fact]
    public void An_outside_error_message_stays_as_it_came_inside_a_localized_frame()
    {
        var stored = new CodedMessage(MessageCodes.RequestFailed, "Connection refused (127.0.0.1:9)").Serialize();

        Assert.Equal("Request failed: Connection refused (127.0.0.1:9)", InCulture("en", () => MessageText.Render(stored)));
        Assert.Equal("请求失败：Connection refused (127.0.0.1:9)", InCulture("zh-CN", () => MessageText.Render(stored)));
    }

    [Fact]
    public void Cancellation_reasons_and_template_errors_read_in_Chinese()
    {
        Assert.Equal("已取消：Webhook 已被删除。", InCulture("zh-CN", () => MessageText.Render(new CodedMessage(MessageCodes.WebhookDeleted))));
        Assert.Equal("已由 admin 取消：Webhook 已停用。", InCulture("zh-CN", () => MessageText.Render(new CodedMessage(MessageCodes.CancelledPaused, "admin"))));
        Assert.Equal("模板错误：{{$$.Nmae$$}}", InCulture("zh-CN", () => MessageText.Render(new CodedMessage(MessageCodes.TemplateError, "{{$$.Nmae$$}}"))));
        Assert.Equal("Slack 未应答“ok”：（空响应体）",
            InCulture("zh-CN", () => MessageText.Render(new CodedMessage(MessageCodes.SlackNotOk, new CodedMessage(MessageCodes.EmptyBody)))));
    }

    [Fact]
    public void A_template_error_met_while_rendering_a_delivery_reads_in_the_readers_language()
    {
        var webhook = new Webhook { Id = 1, Name = "Hook", Actions = UserAction.Created, Url = "https://hooks.example.com/x", Body = """{"name":"{{$$.Nmae$$}}"}""" };
        // Rendered in a Chinese request: what is stored must not depend on that.
        var delivery = InCulture("zh-CN", () => WebhookPortal.Features.Delivery.Delivery.Render(webhook, "demo", TemplateSamples.For(UserAction.Created, DateTime.UtcNow), "user.created", DateTime.UtcNow));

        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal("Template error: Line 1, column 10: Unknown variable {{$$.Nmae$$}}; did you mean {{$$.Name$$}}?",
            InCulture("en", () => MessageText.Render(delivery.LastError)));
        Assert.Equal("模板错误：第 1 行第 10 列：未知变量 {{$$.Nmae$$}}；您是否想用 {{$$.Name$$}}？",
            InCulture("zh-CN", () => MessageText.Render(delivery.LastError)));
    }

    [Fact]
    public void An_auto_disable_reason_reads_in_both_languages()
    {
        var stored = new CodedMessage(MessageCodes.DisabledOn, "2026-11-29 12:00",
            new CodedMessage(MessageCodes.Failing, "10", "2026-11-28 11:00")).Serialize();

        Assert.Equal("Disabled on 2026-11-29 12:00 UTC: 10 attempts failed since 2026-11-28 11:00 UTC with no success.",
            InCulture("en", () => MessageText.Render(stored)));
        Assert.Equal("已于 2026-11-29 12:00 UTC 停用：自 2026-11-28 11:00 UTC 以来 10 次尝试均失败，没有一次成功。",
            InCulture("zh-CN", () => MessageText.Render(stored)));
        Assert.Equal("已于 2026-11-29 12:00 UTC 停用：接收方应答 410 Gone。",
            InCulture("zh-CN", () => MessageText.Render(new CodedMessage(MessageCodes.DisabledOn, "2026-11-29 12:00", new CodedMessage(MessageCodes.Gone)))));
    }

    [Fact]
    public void Audit_details_with_terms_and_lists_read_in_Chinese()
    {
        var created = new CodedMessage(MessageCodes.AuditWebhookCreated, MessageArg.OfTerm("WeCom"), "POST",
            MessageArg.OfList([MessageArg.OfTerm("Create"), MessageArg.OfTerm("Delete")])).Serialize();
        var changed = AuditText.Changed("user", ["FirstName", "Phone", "SomethingNew"]).Serialize();

        Assert.Equal("WeCom, POST, actions: Create, Delete", InCulture("en", () => AuditText.Details(created, "webhook.created")));
        var chinese = InCulture("zh-CN", () => AuditText.Details(created, "webhook.created"))!;
        Assert.StartsWith("企业微信", chinese);
        Assert.DoesNotContain("actions", chinese);
        Assert.Equal("Changed: First name, Phone, SomethingNew", InCulture("en", () => AuditText.Details(changed, "user.updated")));
        Assert.DoesNotContain("First name", InCulture("zh-CN", () => AuditText.Details(changed, "user.updated")));
        Assert.EndsWith("SomethingNew", InCulture("zh-CN", () => AuditText.Details(changed, "user.updated")));
    }

    [Fact]
    public void Text_stored_before_codes_and_outside_text_show_as_stored()
    {
        Assert.Equal("Timed out after 15 s.", InCulture("zh-CN", () => MessageText.Render("Timed out after 15 s.")));
        Assert.Equal("HTTP 500 Internal Server Error", InCulture("zh-CN", () => MessageText.Render("HTTP 500 Internal Server Error")));
        Assert.Equal("""["not a code"]""", InCulture("zh-CN", () => MessageText.Render("""["not a code"]""")));
        Assert.Equal("""["broken""", InCulture("zh-CN", () => MessageText.Render("""["broken""")));
        Assert.Null(MessageText.Render((string?)null));
    }

    [Fact]
    public void An_unknown_code_shows_its_code_and_arguments_and_missing_arguments_do_not_throw()
    {
        Assert.Equal("delivery.from_the_future: a, b", MessageText.Render("""["delivery.from_the_future","a","b"]"""));
        Assert.Equal("Timed out after {0} s.", InCulture("en", () => MessageText.Render("""["delivery.timed_out"]""")));
        Assert.Equal("Circuit open for host h: its recent attempts all failed, so this one was not sent ().",
            InCulture("en", () => MessageText.Render("""["delivery.circuit_open","h"]""")));
    }

    [Fact]
    public void A_message_survives_its_round_trip_through_the_column()
    {
        var message = new CodedMessage(MessageCodes.AuditSecrets, MessageArg.OfList(
            [new CodedMessage(MessageCodes.SigningSecretRotated), new CodedMessage(MessageCodes.SecretHeaderAdded, "X-Api-Key \"中文\"")], "; "));

        var parsed = CodedMessage.Parse(message.Serialize());

        Assert.NotNull(parsed);
        Assert.Equal(message.Serialize(), parsed.Serialize());
        Assert.Contains("中文", message.Serialize(), StringComparison.Ordinal);
        Assert.Equal("签名密钥已轮换；保密请求头 X-Api-Key \"中文\" 已添加", InCulture("zh-CN", () => MessageText.Render(parsed)));
    }

    private static string Stored(string? error) => Assert.IsType<string>(error);
}
