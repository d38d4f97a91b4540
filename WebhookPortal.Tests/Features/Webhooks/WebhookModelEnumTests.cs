using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Features.Webhooks;

/// <summary>
/// <see cref="WebhookModel.Errors"/>, which the Create Webhook dialog and the API both check before saving, refuses enum
/// values no member defines: an unknown object or target, and an action that is not exactly one of the five.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WebhookModelEnumTests
{
    private static WebhookModel Valid() => new() { Name = "n", Url = "https://example.com/h", Actions = [UserAction.Created] };

    public static TheoryData<string, Action<WebhookModel>> Undefined => new()
    {
        { "object", m => m.Object = (WebhookObject)1 },
        { "object", m => m.Object = (WebhookObject)(-1) },
        { "target", m => (m.Target, m.TargetChosen) = ((WebhookTarget)99, true) },
        { "target", m => (m.Target, m.TargetChosen) = ((WebhookTarget)(-1), true) },
        { "actions", m => m.Actions = [UserAction.None] },
        { "actions", m => m.Actions = [(UserAction)99] },
        { "actions", m => m.Actions = [(UserAction)32] },
        { "actions", m => m.Actions = [UserAction.Created | UserAction.Updated] },
        { "actions", m => m.Actions = [UserAction.Created, UserAction.None] },
    };

    [Theory]
    [MemberData(nameof(Undefined))]
    public void An_undefined_value_is_an_error_on_its_field(string field, Action<WebhookModel> change)
    {
        var model = Valid();
        Assert.Empty(model.Errors());

        change(model);

        var errors = model.Errors();
        Assert.Equal([field], errors.Keys);
        Assert.Contains("must be one of", Assert.Single(errors[field]), StringComparison.Ordinal);
        Assert.NotEmpty(model.Validate());
    }

    [Fact]
    public void A_target_left_to_the_url_is_not_checked_as_chosen()
    {
        var model = Valid();
        model.Target = (WebhookTarget)99;

        Assert.Empty(model.Errors());
        Assert.Equal(WebhookTarget.Generic, model.EffectiveTarget);
    }

    [Fact]
    public void Every_defined_value_passes()
    {
        foreach (var target in Enum.GetValues<WebhookTarget>())
        {
            var model = Valid();
            (model.Target, model.TargetChosen, model.Actions) = (target, true, UserActions.All);

            Assert.DoesNotContain(model.Errors().Keys, k => k is "target" or "actions" or "object");
        }
    }
}
