using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>User names are kept in Unicode form KC, so one name typed two ways is one name and look-alikes are not two users.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class UserNameNormalizationTests
{
    [Fact]
    public void A_decomposed_name_is_the_composed_name_and_passes_the_rule()
    {
        var model = new UserModel { UserName = "Zha\u0304ng_We\u030Ci" };

        Assert.Equal("Zh\u0101ng_W\u011Bi", model.UserName);
        Assert.Empty(UserModel.ValidateUserName(model.UserName));
    }

    [Fact]
    public void Full_width_letters_are_the_plain_ones()
    {
        Assert.Equal("Wang", new UserModel { UserName = "\uFF37\uFF41\uFF4E\uFF47" }.UserName);
    }

    [Fact]
    public void A_lone_surrogate_is_kept_and_refused_by_the_rule()
    {
        var model = new UserModel { UserName = "x\uD800" };

        Assert.Equal("x\uD800", model.UserName);
        Assert.NotEmpty(UserModel.ValidateUserName(model.UserName));
    }
}
