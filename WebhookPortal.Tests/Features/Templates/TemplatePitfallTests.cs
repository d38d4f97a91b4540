using WebhookPortal.Features.Templates;

namespace WebhookPortal.Tests.Features.Templates;

/// <summary>Template text that would let a value change the meaning of what surrounds it is refused when saved.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class TemplatePitfallTests
{
    [Theory]
    [InlineData("""{"a":"\{{$$.Enabled$$}}"}""")]
    [InlineData("""{"a":"\{{$$.IPAddress$$}}"}""")]
    public void Refuses_a_variable_right_after_a_backslash_in_a_string(string body)
    {
        var error = Assert.Single(TemplateValidator.ValidateBody(body));

        Assert.Equal("Line 1, column 8: A variable cannot follow a backslash inside a JSON string.", error);
    }

    [Fact]
    public void Accepts_an_escaped_backslash_before_a_variable()
    {
        Assert.Empty(TemplateValidator.ValidateBody("""{"path":"C:\\{{$$.Name$$}}"}"""));
    }

    [Theory]
    [InlineData("https://example.com/hook?q=%{{$$.Name$$}}")]
    [InlineData("https://example.com/hook?q=%4{{$$.Name$$}}")]
    [InlineData("https://example.com/100%")]
    public void Refuses_a_percent_sign_that_starts_no_escape(string url)
    {
        Assert.Equal(["URL contains a % that does not start a percent-escape (%XX); write it as %25."], TemplateValidator.ValidateUrl(url));
    }

    [Fact]
    public void Accepts_percent_escapes_next_to_variables()
    {
        Assert.Empty(TemplateValidator.ValidateUrl("https://example.com/hook?q=%20{{$$.Name$$}}%2F"));
    }

    [Fact]
    public void Refuses_variables_in_the_host()
    {
        Assert.Equal(["Variables are allowed in the URL's path and query, not in its host."],
            TemplateValidator.ValidateUrl("https://{{$$.Name$$}}.example.com/hook"));
    }

    [Fact]
    public void Reports_positions_after_a_placeholder_that_spans_lines()
    {
        var template = WebhookTemplate.Parse("{\"a\": \"{{$$\n.Name\n$$}}\",\n\"b\": \"{{$$.Nope$$}}\"}");

        var error = Assert.Single(template.Errors);

        Assert.Equal((4, 7), (error.Line, error.Column));
    }

    [Fact]
    public void Stops_after_twenty_errors()
    {
        var template = WebhookTemplate.Parse(string.Concat(Enumerable.Repeat("{{$$ ", 500)));

        Assert.Equal(WebhookTemplate.MaxErrors + 1, template.Errors.Count);
    }
}
