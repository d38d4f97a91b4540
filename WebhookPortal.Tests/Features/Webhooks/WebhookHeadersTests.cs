using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Features.Webhooks;

[Trait("Category", TestCategories.Unit)]
public sealed class WebhookHeadersTests
{
    [Fact]
    public void Accepts_token_names_and_variable_values()
    {
        Assert.Empty(WebhookHeaders.Validate([new("X-Trace-Id", "{{$$.EventID$$}}"), new("Authorization", "Bearer abc", true), new("x_custom!", "张伟")]));
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("content-length")]
    [InlineData("Transfer-Encoding")]
    [InlineData("webhook-id")]
    [InlineData("Webhook-Signature")]
    [InlineData("webhook-anything")]
    public void Refuses_reserved_names(string name)
    {
        var error = Assert.Single(WebhookHeaders.Validate([new(name, "v")]));
        Assert.Contains("sets this header itself", error);
    }

    [Theory]
    [InlineData("X Trace")]
    [InlineData("X-Trace:")]
    [InlineData("名字")]
    [InlineData("a\nb")]
    public void Refuses_names_that_are_not_tokens(string name)
    {
        Assert.Contains("only letters, digits", Assert.Single(WebhookHeaders.Validate([new(name, "v")])));
    }

    [Theory]
    [InlineData("a\r\nInjected: yes")]
    [InlineData("nul\0")]
    [InlineData("del\u007f")]
    public void Refuses_control_characters_in_values(string value)
    {
        Assert.Contains("control characters", Assert.Single(WebhookHeaders.Validate([new("X-A", value)])));
    }

    [Fact]
    public void Names_each_problem_with_its_row()
    {
        var errors = WebhookHeaders.Validate([new("", "v"), new("X-A", "1"), new("x-a", "2"), new("X-B", "{{$$.Nmae$$}}")]);

        Assert.Contains("Header 1: name is required.", errors);
        Assert.Contains(errors, e => e.StartsWith("Header x-a: appears twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Header X-B:", StringComparison.Ordinal) && e.Contains("Name", StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_count_and_lengths()
    {
        Assert.Contains($"At most {WebhookHeaders.MaxCount} headers.",
            WebhookHeaders.Validate(Enumerable.Range(0, WebhookHeaders.MaxCount + 1).Select(i => new WebhookHeader($"X-{i}", "v")).ToList()));
        Assert.Single(WebhookHeaders.Validate([new("X-A", new string('v', WebhookHeaders.ValueMaxLength + 1))]));
        Assert.Single(WebhookHeaders.Validate([new(new string('n', WebhookHeaders.NameMaxLength + 1), "v")]));
    }
}
