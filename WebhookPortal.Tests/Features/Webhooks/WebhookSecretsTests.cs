using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Features.Webhooks;

[Trait("Category", TestCategories.Unit)]
public sealed class WebhookSecretsTests
{
    [Fact]
    public void Names_what_changed_without_any_value()
    {
        var before = WebhookSecrets.Of(new Webhook
        {
            SigningSecret = "whsec_old", Headers = [new("Authorization", "Bearer old", true), new("X-Plain", "p")],
        });
        var after = WebhookSecrets.Of(new Webhook
        {
            SigningSecret = "whsec_new", RobotSecret = "SECnew", Headers = [new("Authorization", "Bearer new", true), new("X-Api-Key", "k", true)],
        });

        var described = MessageText.English(before.Describe(after)!);

        Assert.Equal("Signing secret rotated; Robot secret set; Secret header Authorization changed; Secret header X-Api-Key added", described);
        Assert.All(new[] { "whsec_", "SECnew", "Bearer" }, value => Assert.DoesNotContain(value, described, StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_changed_says_nothing_and_removal_is_named()
    {
        var webhook = new Webhook { SigningSecret = "whsec_a" };

        Assert.Null(WebhookSecrets.Of(webhook).Describe(WebhookSecrets.Of(webhook)));
        Assert.Equal("Signing secret removed", MessageText.English(WebhookSecrets.Of(webhook).Describe(WebhookSecrets.Of(new Webhook()))!));
    }
}
