using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Features.Webhooks;

[Trait("Category", TestCategories.Unit)]
public sealed class WebhookModelTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Rotating_keeps_the_old_secret_signing_for_24_hours()
    {
        var webhook = new Webhook { SigningSecret = "whsec_old" };
        var model = WebhookModel.From(webhook);
        model.NewSigningSecret = StandardWebhooks.GenerateSecret();

        model.ApplyTo(webhook, Now);

        Assert.Equal(model.NewSigningSecret, webhook.SigningSecret);
        Assert.Equal("whsec_old", webhook.PreviousSigningSecret);
        Assert.Equal(Now.AddHours(24), webhook.PreviousSigningSecretExpiresAt);
    }

    [Fact]
    public void Stopping_signing_forgets_both_secrets()
    {
        var webhook = new Webhook { SigningSecret = "whsec_new", PreviousSigningSecret = "whsec_old", PreviousSigningSecretExpiresAt = Now };
        var model = WebhookModel.From(webhook);
        model.RemoveSigningSecret = true;

        model.ApplyTo(webhook, Now);

        Assert.Null(webhook.SigningSecret);
        Assert.Null(webhook.PreviousSigningSecret);
        Assert.Null(webhook.PreviousSigningSecretExpiresAt);
    }

    [Fact]
    public void Target_follows_the_url_unless_chosen()
    {
        var webhook = new Webhook();
        var model = new WebhookModel { Name = "n", Url = "https://oapi.dingtalk.com/robot/send?access_token=t", RobotSecret = " SECabc " };
        model.ApplyTo(webhook, Now);
        Assert.Equal(WebhookTarget.DingTalk, webhook.Target);
        Assert.Equal("SECabc", webhook.RobotSecret);
        Assert.False(WebhookModel.From(webhook).TargetChosen);

        model = new WebhookModel { Name = "n", Url = "https://robots.example.com/ding", Target = WebhookTarget.DingTalk, TargetChosen = true };
        model.ApplyTo(webhook, Now);
        Assert.Equal(WebhookTarget.DingTalk, webhook.Target);
        Assert.True(WebhookModel.From(webhook).TargetChosen);
    }

    [Fact]
    public void A_robot_secret_is_kept_only_for_targets_that_sign_with_it()
    {
        var webhook = new Webhook();
        new WebhookModel { Name = "n", Url = "https://example.com/h", RobotSecret = "SECabc" }.ApplyTo(webhook, Now);

        Assert.Null(webhook.RobotSecret);
    }

    [Fact]
    public void Blank_header_rows_are_dropped_and_bad_ones_refused()
    {
        var model = new WebhookModel { Name = "n", Url = "https://example.com/h", Headers = [new(" X-A ", "1"), new("", ""), new("Host", "evil")] };

        Assert.Contains(model.Validate(), e => e.StartsWith("Header Host:", StringComparison.Ordinal));

        model.Headers.RemoveAt(2);
        var webhook = new Webhook();
        model.ApplyTo(webhook, Now);
        Assert.Equal([new WebhookHeader("X-A", "1")], webhook.Headers);
    }
}
