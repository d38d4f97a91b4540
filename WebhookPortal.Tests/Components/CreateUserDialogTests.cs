using Bunit;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Components;

[Trait("Category", TestCategories.Unit)]
public sealed class CreateUserDialogTests : MudBunitContext
{
    private const string Dialog = ".mud-dialog";

    [Fact]
    public async Task Every_input_is_named_by_its_visible_label()
    {
        var cut = RenderProviders();
        await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateUserDialog>("Create User"));
        var root = cut.WaitForElement(Dialog, Timeout);

        var labels = root.QuerySelectorAll("label").Select(l => (string?)l.TextContent.Trim()).ToList();
        var names = AccessibleNames.Controls(root).Select(AccessibleNames.NameOf).ToList();

        Assert.Equal(["User name", "Email", "First name", "Last name", "Phone", "Password", "Enabled"], labels);
        Assert.Equal(labels, names);
    }
}
