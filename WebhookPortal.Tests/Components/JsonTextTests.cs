using System.Text.Json;
using WebhookPortal.Common;

namespace WebhookPortal.Tests.Components;

[Trait("Category", TestCategories.Unit)]
public sealed class JsonTextTests
{
    [Fact]
    public void Indents_without_touching_what_strings_hold()
    {
        const string sent = """{"text":"张 😀 \"q\" \\ {a,b}: [x]\n","n":1.50,"e":{},"a":[],"l":[1,{"k":null}]}""";

        var pretty = JsonText.Pretty(sent);

        Assert.Equal("""
            {
              "text": "张 😀 \"q\" \\ {a,b}: [x]\n",
              "n": 1.50,
              "e": {},
              "a": [],
              "l": [
                1,
                {
                  "k": null
                }
              ]
            }
            """.ReplaceLineEndings("\n"), pretty);
        // The same document: only whitespace between tokens changed.
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(sent).RootElement), JsonSerializer.Serialize(JsonDocument.Parse(pretty).RootElement));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"a\":")]
    [InlineData("")]
    public void Leaves_anything_else_as_it_is(string text)
    {
        Assert.Equal(text, JsonText.Pretty(text));
    }
}
