using System.Text.Json;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Features.Templates;

[Trait("Category", TestCategories.Unit)]
public sealed class TemplateValidatorTests
{
    private const string WeComBody = """{"msgtype":"text","text":{"content":"{{$$.Name$$}} hello world"}}""";

    [Fact]
    public void Accepts_a_wecom_robot_text_body()
    {
        Assert.Empty(TemplateValidator.ValidateBody(WeComBody));

        var rendered = TemplateRenderer.RenderBody(WeComBody, HostileSamples.PlainValues(userName: "张伟"));
        using var json = JsonDocument.Parse(rendered);
        Assert.Equal("text", json.RootElement.GetProperty("msgtype").GetString());
        Assert.Equal("张伟 hello world", json.RootElement.GetProperty("text").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Accepts_an_empty_body_which_means_the_default_body(string? body)
    {
        Assert.Empty(TemplateValidator.ValidateBody(body));
    }

    [Fact]
    public void Accepts_the_default_body_written_out()
    {
        Assert.Empty(TemplateValidator.ValidateBody(TemplateRenderer.DefaultBody));
    }

    [Fact]
    public void Accepts_a_body_with_bare_placeholders()
    {
        Assert.Empty(TemplateValidator.ValidateBody("""{"enabled": {{$$.Enabled$$}}, "name": {{$$.Name$$}}, "tags": [{{$$.Action$$}}]}"""));
    }

    [Theory]
    [InlineData("""name={{$$.Name$$}}""")]
    [InlineData("""{"a": "{{$$.Name$$}}" """)]
    [InlineData("""{"a": "{{$$.Name$$}}",}""")]
    [InlineData("""{"a": {{$$.Name$$}} {{$$.Email$$}}}""")]
    [InlineData("""{"a": x{{$$.Name$$}}}""")]
    public void Refuses_a_body_that_is_not_json_after_rendering(string body)
    {
        var error = Assert.Single(TemplateValidator.ValidateBody(body));

        Assert.Contains("not valid JSON", error);
    }

    [Theory]
    [InlineData("{\n  \"a\": \"x\"\n}\n{{$$.Phone$$}}", "Line 4: Message Body is not valid JSON: there is more after the end of the JSON")]
    [InlineData("{\"a\": 1 \"b\": 2}", "a comma is missing between two values, or a } or ] is misplaced")]
    [InlineData("{\"a\": {\"b\": 1}", "a { or [ is never closed")]
    public void Says_what_to_fix_for_common_json_mistakes(string body, string expected)
    {
        Assert.Contains(expected, Assert.Single(TemplateValidator.ValidateBody(body)));
    }

    [Theory]
    [InlineData("{\n  \"a\": \"{{$$.FirstName$$}}\",\n  \"b\": 1,\n}", 3, 9)]
    [InlineData("{\"name\": \"{{$$.Name$$}}\", \"tags\": [1, 2,  ] }", 1, 40)]
    [InlineData("{\r\n  \"a\": [\r\n    \"{{$$.Email$$}}\",\r\n  ]\r\n}", 3, 21)]
    public void Names_the_line_and_column_of_a_trailing_comma_not_the_bracket_after_it(string body, int line, int column)
    {
        var error = Assert.Single(TemplateValidator.ValidateBody(body));

        Assert.StartsWith($"Line {line}, column {column}: ", error);
        Assert.Contains("comma follows the last property or item", error);
        var lines = body.Split('\n');
        Assert.Equal(',', lines[line - 1][column - 1]);
    }

    [Fact]
    public void Says_on_which_line_the_rendered_body_stops_being_json()
    {
        var error = Assert.Single(TemplateValidator.ValidateBody("{\n  \"a\": \"{{$$.FirstName$$}}\",\n  \"b\": oops\n}"));

        Assert.StartsWith("Line 3:", error);
    }

    [Fact]
    public void Refuses_an_unknown_field_and_suggests_the_right_one_with_its_position()
    {
        var error = Assert.Single(TemplateValidator.ValidateBody("{\n  \"user\": \"{{$$.Nmae$$}}\"\n}"));

        Assert.Equal("Line 2, column 12: Unknown variable {{$$.Nmae$$}}; did you mean {{$$.Name$$}}?", error);
    }

    [Fact]
    public void Refuses_a_malformed_placeholder_in_the_body()
    {
        var error = Assert.Single(TemplateValidator.ValidateBody("""{"user": "{{$$.Name}}"}"""));

        Assert.Contains("Malformed", error);
        Assert.StartsWith("Line 1, column 11:", error);
    }

    [Fact]
    public void Refuses_a_body_larger_than_64_kb()
    {
        var body = "{\"a\":\"" + new string('x', Webhook.BodyMaxBytes) + "\"}";

        Assert.Contains("larger than 64 KB", Assert.Single(TemplateValidator.ValidateBody(body)));
    }

    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("https://hooks.example.test/users/{{$$.Name$$}}?event={{$$.Event$$}}")]
    public void Accepts_absolute_http_and_https_urls(string url)
    {
        Assert.Empty(TemplateValidator.ValidateUrl(url));
    }

    [Theory]
    [InlineData("https://hooks.example.test/?user={{$$ .Name $$}}")]
    [InlineData("https://hooks.example.test/users/{{ $$.ID$$ }}/events/{{$$ .Event $$}}")]
    public void Accepts_spaces_inside_a_placeholder_in_the_url(string url)
    {
        Assert.Empty(TemplateValidator.ValidateUrl(url));
    }

    [Theory]
    [InlineData("/relative/hook")]
    [InlineData("hooks.example.test/hook")]
    [InlineData("ftp://files.example.test/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    public void Refuses_a_url_that_is_not_absolute_http_or_https(string url)
    {
        Assert.Equal(["URL must be an absolute http:// or https:// address."], TemplateValidator.ValidateUrl(url));
    }

    [Fact]
    public void Refuses_a_url_longer_than_2048_characters()
    {
        var url = "https://hooks.example.test/" + new string('a', Webhook.UrlMaxLength - "https://hooks.example.test/".Length + 1);

        Assert.Equal(2049, url.Length);
        Assert.Equal(["URL is longer than 2048 characters."], TemplateValidator.ValidateUrl(url));
        Assert.Empty(TemplateValidator.ValidateUrl(url[..^1]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Requires_a_url(string? url)
    {
        Assert.Equal(["URL is required."], TemplateValidator.ValidateUrl(url));
    }

    [Theory]
    [InlineData("https://hooks.example.test/a b")]
    [InlineData("https://hooks.example.test/a\nb")]
    public void Refuses_a_url_with_spaces_or_control_characters(string url)
    {
        Assert.Equal(["URL must not contain spaces or control characters."], TemplateValidator.ValidateUrl(url));
    }

    [Fact]
    public void Refuses_a_malformed_placeholder_in_the_url()
    {
        Assert.Contains("Malformed", Assert.Single(TemplateValidator.ValidateUrl("https://hooks.example.test/?u={{$$ .Name}}")));
    }

    [Fact]
    public void Refuses_a_url_with_credentials()
    {
        Assert.Contains("user name or password", Assert.Single(TemplateValidator.ValidateUrl("https://user:secret@hooks.example.test/")));
    }

    [Fact]
    public void Refuses_a_url_with_an_unknown_field()
    {
        var error = Assert.Single(TemplateValidator.ValidateUrl("https://hooks.example.test/?u={{$$.Nmae$$}}"));

        Assert.Contains("did you mean {{$$.Name$$}}", error);
    }

    [Fact]
    public void Hostile_sample_carries_every_character_that_breaks_naive_senders()
    {
        var user = TemplateValidator.HostileSample.User;
        var text = string.Concat(user.UserName, user.Email, user.FirstName, user.LastName);

        Assert.Contains('"', text);
        Assert.Contains('\\', text);
        Assert.Contains('\n', text);
        Assert.Contains("{{$$", text);
        Assert.Contains("张伟", text);
        Assert.Contains("🎉", text);
    }
}
