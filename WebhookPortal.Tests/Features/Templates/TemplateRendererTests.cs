using System.Text;
using System.Text.Json;
using WebhookPortal.Features.Templates;
using static WebhookPortal.Tests.Features.Templates.HostileSamples;

namespace WebhookPortal.Tests.Features.Templates;

[Trait("Category", TestCategories.Unit)]
public sealed class TemplateRendererTests
{
    private const string EveryStringField = """
        {
          "id": "{{$$.ID$$}}",
          "name": "{{$$.Name$$}}",
          "email": "{{$$.Email$$}}",
          "first": "{{$$.FirstName$$}}",
          "last": "{{$$.LastName$$}}",
          "phone": "{{$$.Phone$$}}",
          "created": "{{$$.CreatedAt$$}}",
          "enabled": "{{$$.Enabled$$}}",
          "action": "{{$$.Action$$}}",
          "event": "{{$$.Event$$}}",
          "eventId": "{{$$.EventID$$}}",
          "occurred": "{{$$.OccurredAt$$}}",
          "client": "{{$$.ClientID$$}}",
          "webhook": "{{$$.WebhookName$$}}",
          "ip": "{{$$.IPAddress$$}}",
          "changed": "{{$$.ChangedFields$$}}"
        }
        """;

    [Fact]
    public void Renders_hostile_values_inside_strings_to_valid_json_that_round_trips_exactly()
    {
        var rendered = TemplateRenderer.RenderBody(EveryStringField, HostileValues());

        using var json = JsonDocument.Parse(rendered);
        var root = json.RootElement;
        Assert.Equal("3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13", root.GetProperty("id").GetString());
        Assert.Equal(HostileName, root.GetProperty("name").GetString());
        Assert.Equal(HostileEmail, root.GetProperty("email").GetString());
        Assert.Equal(HostileFirstName, root.GetProperty("first").GetString());
        Assert.Equal(HostileLastName, root.GetProperty("last").GetString());
        Assert.Equal(HostilePhone, root.GetProperty("phone").GetString());
        Assert.Equal("2026-11-29T09:14:41Z", root.GetProperty("created").GetString());
        Assert.Equal("true", root.GetProperty("enabled").GetString());
        Assert.Equal("updated", root.GetProperty("action").GetString());
        Assert.Equal("user.updated", root.GetProperty("event").GetString());
        Assert.Equal(EventId.ToString(), root.GetProperty("eventId").GetString());
        Assert.Equal("2026-11-29T09:14:42Z", root.GetProperty("occurred").GetString());
        Assert.Equal("wecom-alerts", root.GetProperty("client").GetString());
        Assert.Equal("New users \"to\" WeCom", root.GetProperty("webhook").GetString());
        Assert.Equal("203.0.113.7", root.GetProperty("ip").GetString());
        Assert.Equal("Email,Phone", root.GetProperty("changed").GetString());
    }

    [Fact]
    public void Keeps_non_ascii_text_as_literal_utf8_instead_of_unicode_escapes()
    {
        var rendered = TemplateRenderer.RenderBody("""{"first":"{{$$.FirstName$$}}","email":"{{$$.Email$$}}"}""", HostileValues());

        Assert.Contains("张伟", rendered);
        Assert.Contains("第二行", rendered);
        Assert.Contains("🎉", rendered);
        Assert.Contains("例子", rendered);
        Assert.DoesNotContain("\\u", rendered);
        // Chat robots count bytes: 张伟 is 6 UTF-8 bytes, not the 12 characters of two \uXXXX escapes.
        Assert.Equal(Encoding.UTF8.GetByteCount("""{"first":"张伟\n第二行\t🎉","email":"\"o'brien\"@例子.test"}"""), Encoding.UTF8.GetByteCount(rendered));
    }

    [Fact]
    public void Escapes_quote_backslash_newline_tab_and_control_characters_the_json_way()
    {
        var rendered = TemplateRenderer.RenderBody("""{"first":"{{$$.FirstName$$}}","last":"{{$$.LastName$$}}"}""", HostileValues());

        Assert.Equal("""{"first":"张伟\n第二行\t🎉","last":"ctrl\u0001 bell\u0007 }{ \"\\\""}""", rendered);
    }

    [Fact]
    public void Does_not_expand_a_placeholder_that_arrives_inside_a_value()
    {
        var rendered = TemplateRenderer.RenderBody("""{"name":"{{$$.Name$$}}"}""", HostileValues());

        using var json = JsonDocument.Parse(rendered);
        Assert.Equal("quote\" back\\slash {{$$.Name$$}}", json.RootElement.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(true, JsonValueKind.True)]
    [InlineData(false, JsonValueKind.False)]
    public void Renders_bare_enabled_placeholder_as_json_boolean(bool enabled, JsonValueKind expected)
    {
        var rendered = TemplateRenderer.RenderBody("""{"enabled": {{$$.Enabled$$}}}""", HostileValues(enabled));

        using var json = JsonDocument.Parse(rendered);
        Assert.Equal(expected, json.RootElement.GetProperty("enabled").ValueKind);
        Assert.Equal($$"""{"enabled": {{(enabled ? "true" : "false")}}}""", rendered);
    }

    [Fact]
    public void Renders_bare_string_placeholders_as_quoted_json_strings()
    {
        var rendered = TemplateRenderer.RenderBody(
            """{"name": {{$$.Name$$}}, "first": {{$$.FirstName$$}}, "ip": {{$$.IPAddress$$}}, "list": [{{$$.LastName$$}}, {{$$.Enabled$$}}]}""",
            HostileValues());

        using var json = JsonDocument.Parse(rendered);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.String, root.GetProperty("name").ValueKind);
        Assert.Equal(HostileName, root.GetProperty("name").GetString());
        Assert.Equal(HostileFirstName, root.GetProperty("first").GetString());
        Assert.Equal("203.0.113.7", root.GetProperty("ip").GetString());
        Assert.Equal(HostileLastName, root.GetProperty("list")[0].GetString());
        Assert.Equal(JsonValueKind.True, root.GetProperty("list")[1].ValueKind);
    }

    [Fact]
    public void Renders_an_empty_bare_value_as_an_empty_json_string()
    {
        var rendered = TemplateRenderer.RenderBody("""{"phone": {{$$.Phone$$}}}""", PlainValues());

        Assert.Equal("""{"phone": ""}""", rendered);
    }

    [Theory]
    [InlineData("{{$$ .Name $$}}")]
    [InlineData("{{ $$.Name$$ }}")]
    [InlineData("{{$$. Name$$}}")]
    [InlineData("{{  $$  .  Name  $$  }}")]
    public void Accepts_spaces_inside_a_placeholder(string placeholder)
    {
        var rendered = TemplateRenderer.RenderBody($$"""{"name":"{{placeholder}}"}""", PlainValues());

        Assert.Equal("""{"name":"zhangwei"}""", rendered);
    }

    [Fact]
    public void Treats_a_placeholder_after_an_escaped_quote_as_inside_the_string()
    {
        var rendered = TemplateRenderer.RenderBody("""{"text":"say \"{{$$.Name$$}}\" now"}""", HostileValues());

        using var json = JsonDocument.Parse(rendered);
        Assert.Equal($"say \"{HostileName}\" now", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Percent_encodes_values_in_the_url()
    {
        var rendered = TemplateRenderer.RenderUrl(
            "https://hooks.example.test/users/{{$$.Name$$}}?first={{$$.FirstName$$}}&client={{$$.ClientID$$}}",
            PlainValues(userName: "a b&c/d", firstName: "中文 x=1"));

        Assert.Equal("https://hooks.example.test/users/a%20b%26c%2Fd?first=%E4%B8%AD%E6%96%87%20x%3D1&client=wecom-alerts", rendered);
        var uri = new Uri(rendered);
        Assert.Equal("/users/a%20b%26c%2Fd", uri.AbsolutePath);
        Assert.Equal("中文 x=1", Uri.UnescapeDataString(uri.Query.Split('&')[0]["?first=".Length..]));
    }

    [Fact]
    public void Percent_encodes_hostile_values_in_the_url_so_they_cannot_add_query_parameters()
    {
        var rendered = TemplateRenderer.RenderUrl("https://hooks.example.test/?name={{$$.Name$$}}&x=1", HostileValues());

        Assert.Equal("https://hooks.example.test/?name=quote%22%20back%5Cslash%20%7B%7B%24%24.Name%24%24%7D%7D&x=1", rendered);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Renders_the_dce_default_body_when_the_template_is_empty(string? template)
    {
        var rendered = TemplateRenderer.RenderBody(template, HostileValues(enabled: false));

        using var json = JsonDocument.Parse(rendered);
        var properties = json.RootElement.EnumerateObject().ToList();
        Assert.Equal(["id", "email", "username", "last_name", "first_name", "created_at", "enabled"], properties.Select(p => p.Name));
        Assert.All(properties, p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        var root = json.RootElement;
        Assert.Equal("3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13", root.GetProperty("id").GetString());
        Assert.Equal(HostileEmail, root.GetProperty("email").GetString());
        Assert.Equal(HostileName, root.GetProperty("username").GetString());
        Assert.Equal(HostileLastName, root.GetProperty("last_name").GetString());
        Assert.Equal(HostileFirstName, root.GetProperty("first_name").GetString());
        Assert.Equal("2026-11-29T09:14:41Z", root.GetProperty("created_at").GetString());
        Assert.Equal("false", root.GetProperty("enabled").GetString());
    }

    [Fact]
    public void Refuses_to_render_an_unknown_field_and_names_it_with_a_suggestion_and_position()
    {
        var template = "{\n  \"a\": \"{{$$.Nmae$$}}\"\n}";

        var error = Assert.Single(Assert.Throws<TemplateException>(() => TemplateRenderer.RenderBody(template, PlainValues())).Errors);

        Assert.Contains("Nmae", error.Message);
        Assert.Contains("did you mean {{$$.Name$$}}", error.Message);
        Assert.Equal(2, error.Line);
        Assert.Equal(9, error.Column);
        Assert.Equal("Line 2, column 9: " + error.Message, error.ToString());
    }

    [Fact]
    public void Refuses_to_render_a_url_with_an_unknown_field()
    {
        var ex = Assert.Throws<TemplateException>(() => TemplateRenderer.RenderUrl("https://x.test/{{$$.Emial$$}}", PlainValues()));

        Assert.Contains("Emial", ex.Message);
        Assert.Contains("{{$$.Email$$}}", ex.Message);
    }

    [Theory]
    [InlineData("{{$$.Name}}")]
    [InlineData("{{$$Name$$}}")]
    [InlineData("{{$$.$$}}")]
    [InlineData("{{$$.Na me$$}}")]
    [InlineData("{{$$.Name$$")]
    [InlineData("{{$$.Name$}}")]
    public void Refuses_to_render_a_malformed_placeholder(string placeholder)
    {
        var ex = Assert.Throws<TemplateException>(() => TemplateRenderer.RenderBody($$"""{"a":"{{placeholder}}"}""", PlainValues()));

        var error = Assert.Single(ex.Errors);
        Assert.Contains("Malformed", error.Message);
        Assert.Equal(1, error.Line);
        Assert.Equal(7, error.Column);
    }
}
