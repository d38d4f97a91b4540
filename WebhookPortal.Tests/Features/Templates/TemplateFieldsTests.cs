using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Features.Templates;

[Trait("Category", TestCategories.Unit)]
public sealed class TemplateFieldsTests
{
    [Fact]
    public void Catalogue_holds_exactly_the_documented_fields()
    {
        Assert.Equal(
            ["ID", "Name", "Email", "FirstName", "LastName", "Phone", "CreatedAt", "Enabled", "Action", "ActionText", "Event", "EventID",
             "OccurredAt", "ClientID", "WebhookName", "IPAddress", "SignInClientID", "ChangedFields", "Sequence"],
            TemplateFields.All.Select(f => f.Name));
    }

    [Fact]
    public void Only_enabled_is_boolean()
    {
        Assert.Equal(["Enabled"], TemplateFields.All.Where(f => f.IsBoolean).Select(f => f.Name));
    }

    [Fact]
    public void Ip_address_belongs_to_login_and_logout_and_changed_fields_to_update()
    {
        Assert.Equal(UserAction.LoggedIn | UserAction.LoggedOut, TemplateFields.Find("IPAddress")!.Actions);
        Assert.Equal(UserAction.Updated, TemplateFields.Find("ChangedFields")!.Actions);
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("EventID")]
    public void Finds_fields_by_exact_name(string name)
    {
        Assert.Equal(name, TemplateFields.Find(name)?.Name);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("NAME")]
    [InlineData("EventId")]
    public void Field_names_are_case_sensitive(string name)
    {
        Assert.Null(TemplateFields.Find(name));
    }

    [Theory]
    [InlineData("Nmae", "Name")]
    [InlineData("name", "Name")]
    [InlineData("Emial", "Email")]
    [InlineData("FristName", "FirstName")]
    [InlineData("EventId", "EventID")]
    [InlineData("ChangedField", "ChangedFields")]
    [InlineData("IpAddress", "IPAddress")]
    public void Suggests_the_closest_field_for_a_misspelling(string typed, string suggested)
    {
        Assert.Equal(suggested, TemplateFields.Suggest(typed));
    }

    [Fact]
    public void Suggests_nothing_when_no_field_is_close()
    {
        Assert.Null(TemplateFields.Suggest("Zzzzzzzzzzzz"));
    }
}
