using WebhookPortal.Features.Templates;

namespace WebhookPortal.Tests.Features.Templates;

[Trait("Category", TestCategories.Unit)]
public sealed class WebhookTemplateTests
{
    [Fact]
    public void Splits_a_template_into_literals_and_placeholders_in_order()
    {
        var parsed = WebhookTemplate.Parse("""{"a":"x{{$$.Name$$}}y","b":{{$$ .Enabled $$}}}""");

        Assert.Empty(parsed.Errors);
        Assert.Equal(
            [
                new LiteralSegment("{\"a\":\"x"),
                new FieldSegment("Name", 1, 8, InJsonString: true),
                new LiteralSegment("y\",\"b\":"),
                new FieldSegment("Enabled", 1, 28, InJsonString: false),
                new LiteralSegment("}"),
            ],
            parsed.Segments);
    }

    [Fact]
    public void Lists_each_used_field_once_in_order_of_first_use()
    {
        var parsed = WebhookTemplate.Parse("{{$$.Email$$}} {{$$.Name$$}} {{$$.Email$$}}");

        Assert.Equal(["Email", "Name"], parsed.FieldNames);
    }

    [Fact]
    public void Reports_every_error_with_its_own_line_and_column()
    {
        var parsed = WebhookTemplate.Parse("{\n\t\"a\": \"{{$$.name$$}}\",\n  \"b\": {{$$.Name}},\n  \"c\": \"{{$$.Bogus$$}}\"\n}");

        Assert.Collection(
            parsed.Errors,
            e =>
            {
                Assert.Equal((2, 8), (e.Line, e.Column));
                Assert.Contains("did you mean {{$$.Name$$}}", e.Message);
            },
            e =>
            {
                Assert.Equal((3, 8), (e.Line, e.Column));
                Assert.Contains("Malformed", e.Message);
            },
            e =>
            {
                Assert.Equal((4, 9), (e.Line, e.Column));
                Assert.Contains("{{$$.Bogus$$}}", e.Message);
            });
    }

    [Fact]
    public void Leaves_braces_that_are_not_placeholders_alone()
    {
        var parsed = WebhookTemplate.Parse("""{"a":{"b":{}},"c":"{{ not a placeholder }}"}""");

        Assert.Empty(parsed.Errors);
        Assert.Equal([new LiteralSegment("""{"a":{"b":{}},"c":"{{ not a placeholder }}"}""")], parsed.Segments);
    }
}
