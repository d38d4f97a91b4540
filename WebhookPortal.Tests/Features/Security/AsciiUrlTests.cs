using WebhookPortal.Features.Security;

namespace WebhookPortal.Tests.Features.Security;

/// <summary><see cref="AsciiUrl"/>: non-ASCII percent-encoded as UTF-8, ASCII (and existing escapes) kept.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AsciiUrlTests
{
    [Theory]
    [InlineData("/clients?page=2", "/clients?page=2")]
    [InlineData("/a%20b", "/a%20b")]
    [InlineData("/caf\u00e9", "/caf%C3%A9")]
    [InlineData("/?q=\u5f20", "/?q=%E5%BC%A0")]
    [InlineData("/\U0001F680", "/%F0%9F%9A%80")]
    public void Percent_encodes_only_non_ascii_characters(string url, string expected)
    {
        Assert.Equal(expected, AsciiUrl.Encode(url));
    }
}
