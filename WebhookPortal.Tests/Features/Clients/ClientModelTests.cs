using WebhookPortal.Features.Clients;

namespace WebhookPortal.Tests.Features.Clients;

/// <summary>The rules of <see cref="ClientModel"/>: redirect URIs, display name, the fixed Client ID and type.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ClientModelTests
{
    [Theory]
    [InlineData("https://app.example.com/signin-oidc")]
    [InlineData("https://app.example.com:8443/cb?tenant=a")]
    [InlineData("http://localhost:5173/callback")]
    [InlineData("http://127.0.0.1:8080/cb")]
    [InlineData("http://127.10.0.3/cb")]
    [InlineData("http://[::1]:9000/cb")]
    [InlineData("https://xn--bcher-kva.example/signin-oidc")]
    public void Accepts_https_and_http_on_loopback(string uri)
    {
        Assert.Null(ClientModel.ValidateUri(uri));
    }

    [Theory]
    [InlineData("http://app.example.com/cb", "http://app.example.com/cb must use https (http only for localhost or a loopback address such as 127.0.0.1).")]
    [InlineData("http://192.168.1.5/cb", "http://192.168.1.5/cb must use https (http only for localhost or a loopback address such as 127.0.0.1).")]
    [InlineData("ftp://app.example.com/cb", "ftp://app.example.com/cb must use https (http only for localhost or a loopback address such as 127.0.0.1).")]
    [InlineData("https://app.example.com/cb#done", "https://app.example.com/cb#done must not contain a fragment (#…).")]
    [InlineData("https://*.example.com/cb", "https://*.example.com/cb must not contain a wildcard (*): every address is listed in full.")]
    [InlineData("/signin-oidc", "/signin-oidc is not an absolute URI such as https://app.example.com/signin-oidc.")]
    [InlineData("app.example.com/cb", "app.example.com/cb is not an absolute URI such as https://app.example.com/signin-oidc.")]
    [InlineData("https://user:pw@app.example.com/cb", "https://user:pw@app.example.com/cb must not contain a user name or password.")]
    [InlineData("https://app.example.com/a b", "https://app.example.com/a b must not contain spaces or control characters.")]
    [InlineData("", "A redirect URI must not be empty.")]
    [InlineData("https://bücher.example/signin-oidc", "https://bücher.example/signin-oidc must be written in ASCII, as browsers send it: https://xn--bcher-kva.example/signin-oidc")]
    [InlineData("https://app.example.com/rückruf", "https://app.example.com/rückruf must be written in ASCII, as browsers send it: https://app.example.com/r%C3%BCckruf")]
    [InlineData("https://app.example.com/a\"><script>", "https://app.example.com/a\"><script> holds characters a URI must percent-encode: \" > <")]
    [InlineData("https://app.example.com/{tenant}/cb", "https://app.example.com/{tenant}/cb holds characters a URI must percent-encode: { }")]
    public void Refuses_a_uri_with_a_message_naming_it(string uri, string message)
    {
        Assert.Equal(message, ClientModel.ValidateUri(uri));
    }

    [Fact]
    public void Refuses_an_over_long_uri_duplicates_and_too_many()
    {
        var longUri = "https://app.example.com/" + new string('a', ClientModel.UriMaxLength);
        Assert.StartsWith("A redirect URI must be at most 2048 characters", ClientModel.ValidateUri(longUri));

        Assert.Equal(["https://a.example.com/cb is listed more than once."],
            ClientModel.ValidateUris(["https://a.example.com/cb", "https://b.example.com/cb", "https://a.example.com/cb"]));

        var many = Enumerable.Range(1, ClientModel.MaxUris + 1).Select(i => $"https://app.example.com/cb{i}").ToList();
        Assert.Equal(["At most 20 URIs per list."], ClientModel.ValidateUris(many));
        Assert.Empty(ClientModel.ValidateUris(many.Take(ClientModel.MaxUris)));
    }

    [Fact]
    public void Errors_are_keyed_by_the_json_names()
    {
        var model = new ClientModel
        {
            ClientId = "crm", DisplayName = new string('n', ClientModel.DisplayNameMaxLength + 1),
            RedirectUris = ["http://crm.example.com/cb"], PostLogoutRedirectUris = ["https://crm.example.com/#x"], Type = (ClientType)7,
        };

        var errors = model.Errors();

        Assert.Equal(["displayName", "type", "redirectUris", "postLogoutRedirectUris"], errors.Keys);
        Assert.Equal(["Display name must be at most 100 characters."], errors["displayName"]);
        Assert.Equal(["Type must be confidential or public."], errors["type"]);
    }

    [Fact]
    public void An_edit_may_leave_out_the_client_id_but_not_change_it_or_the_type()
    {
        var existing = new ClientSummary("crm", "CRM", "", ClientType.Confidential, [], [], 0, DateTime.UtcNow);

        Assert.Empty(new ClientModel().Errors(existing));
        Assert.Empty(new ClientModel { ClientId = "crm", Type = ClientType.Confidential }.Errors(existing));
        Assert.Equal(["The Client ID cannot be changed."], new ClientModel { ClientId = "CRM" }.Errors(existing)["clientId"]);
        Assert.Equal(["The Client ID cannot be changed."], new ClientModel { ClientId = "crm-2" }.Errors(existing)["clientId"]);
        Assert.Equal(["The type cannot be changed: delete the client and create it again."], new ClientModel { Type = ClientType.Public }.Errors(existing)["type"]);
    }

    [Fact]
    public void The_dialog_text_gives_one_uri_per_line_without_blank_lines()
    {
        Assert.Equal(["https://a.example.com/cb", "https://b.example.com/cb"], ClientModel.Lines(" https://a.example.com/cb \r\n\r\n  \nhttps://b.example.com/cb\n"));
    }
}
