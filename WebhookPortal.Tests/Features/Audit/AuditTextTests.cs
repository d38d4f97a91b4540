using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Features.Audit;

/// <summary>The Audit page shows stored English entries in the reader's language, and unknown text as stored.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AuditTextTests
{
    [Fact]
    public void Shows_a_created_webhooks_details_in_Chinese_and_leaves_English_as_stored()
    {
        const string stored = "WeCom, POST, actions: Create, Delete";

        Assert.Equal(stored, InCulture("en", () => AuditText.Details(stored)));
        var chinese = InCulture("zh-CN", () => AuditText.Details(stored));
        Assert.StartsWith("企业微信", chinese);
        Assert.Contains("POST", chinese);
        Assert.DoesNotContain("actions", chinese);
        Assert.DoesNotContain("Create", chinese);
    }

    [Theory]
    [InlineData("Cancelled 3 paused deliveries.", "取消了 3 个已暂停的投递。")]
    [InlineData("Cancelled paused delivery 0193a1b2-0000-7000-8000-000000000001.", "取消了已暂停的投递 0193a1b2-0000-7000-8000-000000000001。")]
    public void Shows_cancelled_paused_deliveries_in_Chinese(string stored, string chinese)
    {
        Assert.Equal(stored, InCulture("en", () => AuditText.Details(stored)));
        Assert.Equal(chinese, InCulture("zh-CN", () => AuditText.Details(stored)));
    }

    [Theory]
    [InlineData("user.made_administrator", "audit.administrator_granted", "Administrator role granted", "授予管理员角色", "Granted the Administrator role.", "授予了管理员角色。")]
    [InlineData("user.administrator_revoked", "audit.administrator_revoked", "Administrator role taken away", "收回管理员角色", "Took away the Administrator role.", "收回了管理员角色。")]
    [InlineData("user.made_auditor", "audit.auditor_granted", "Auditor role granted", "授予审计员角色", "Granted the Auditor role.", "授予了审计员角色。")]
    [InlineData("user.auditor_revoked", "audit.auditor_revoked", "Auditor role taken away", "收回审计员角色", "Took away the Auditor role.", "收回了审计员角色。")]
    public void Shows_role_changes_in_both_languages(string action, string code, string name, string chineseName, string english, string chinese)
    {
        var stored = new CodedMessage(code).Serialize();

        Assert.Equal(english, InCulture("en", () => AuditText.Details(stored, action)));
        Assert.Equal(chinese, InCulture("zh-CN", () => AuditText.Details(stored, action)));
        Assert.Equal(name, InCulture("en", () => AuditText.Action(action)));
        Assert.Equal(chineseName, InCulture("zh-CN", () => AuditText.Action(action)));
        Assert.Equal("用户 lisi", InCulture("zh-CN", () => AuditText.Subject("user lisi")));
    }

    [Fact]
    public void Shows_recovered_deliveries_in_Chinese()
    {
        const string stored = "Requeued 4 failed deliveries since 2026-12-01 08:30:00 UTC.";

        Assert.Equal(stored, InCulture("en", () => AuditText.Details(stored, "webhook.recovered")));
        Assert.Equal("已将 2026-12-01 08:30:00 UTC 以来失败的 4 个投递重新排队。", InCulture("zh-CN", () => AuditText.Details(stored, "webhook.recovered")));
    }

    [Fact]
    public void Keeps_a_target_name_it_has_no_translation_for()
    {
        var chinese = InCulture("zh-CN", () => AuditText.Details("Some future target, PUT, actions: Login"));

        Assert.StartsWith("Some future target", chinese);
        Assert.DoesNotContain("actions", chinese);
    }

    [Fact]
    public void Translates_the_words_around_a_webhooks_name_but_not_the_name()
    {
        var chinese = InCulture("zh-CN", () => AuditText.Subject("webhook New users (client demo)"));

        Assert.Contains("New users", chinese);
        Assert.Contains("demo", chinese);
        Assert.DoesNotContain("client", chinese);
    }

    [Fact]
    public void Names_a_users_changed_fields_in_Chinese_with_the_forms_labels()
    {
        var chinese = InCulture("zh-CN", () => AuditText.Details("Changed: Name, FirstName, LastName, Email, Phone, Enabled, Password", "user.updated"));

        Assert.Equal("已更改：用户名、名、姓、邮箱、电话、启用状态、密码", chinese);
    }

    [Fact]
    public void Names_a_webhooks_changed_fields_in_Chinese_and_keeps_a_field_it_does_not_know()
    {
        var chinese = InCulture("zh-CN", () => AuditText.Details("Changed: Name, Actions, Url, Body, SomethingNew", "webhook.updated"));

        Assert.Equal("已更改：名称、行为、URL、消息体、SomethingNew", chinese);
    }

    [Fact]
    public void Names_changed_fields_with_the_forms_English_labels_under_en()
    {
        Assert.Equal("Changed: Client ID, Description", InCulture("en", () => AuditText.Details("Changed: ClientId, Description", "client.updated")));
    }
}
