using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>Full names read the way their script writes them: 张伟, not "伟 张"; Na Li, not "Li Na".</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PersonNameTests
{
    [Theory]
    [InlineData("伟", "张", "张伟")]
    [InlineData("小明", "欧阳", "欧阳小明")]
    [InlineData("太郎", "山田", "山田太郎")]
    [InlineData("민준", "김", "김민준")]
    [InlineData("𠀋", "张", "张𠀋")]
    public void Writes_an_East_Asian_name_family_name_first_without_a_space(string given, string family, string expected) =>
        Assert.Equal(expected, PersonName.Full(given, family));

    [Theory]
    [InlineData("Na", "Li", "Na Li")]
    [InlineData("Xiaoming", "Wang-Montgomery", "Xiaoming Wang-Montgomery")]
    [InlineData("Portal", "", "Portal")]
    [InlineData("", "Li", "Li")]
    [InlineData(" Na ", " Li ", "Na Li")]
    [InlineData("", "", "")]
    public void Writes_other_names_given_name_first(string given, string family, string expected) =>
        Assert.Equal(expected, PersonName.Full(given, family));
}
