using WebhookPortal.Features.Localization;

namespace WebhookPortal.Tests.Features.Targets;

/// <summary>Each target's success rule: chat robots report errors in a 2xx answer's body, so an error code there is a failure.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SuccessRuleTests
{
    [Theory]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":0,"errmsg":"ok"}""", true, false, false)]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":93000,"errmsg":"invalid webhook url"}""", false, true, false)]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":40058,"errmsg":"content exceed max length"}""", false, true, false)]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":45009,"errmsg":"api freq out of limit"}""", false, false, true)]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":-1,"errmsg":"system busy"}""", false, false, false)]
    [InlineData(WebhookTarget.WeCom, 200, "<html>proxy page</html>", false, false, false)]
    [InlineData(WebhookTarget.DingTalk, 200, """{"errcode":0,"errmsg":"ok"}""", true, false, false)]
    [InlineData(WebhookTarget.DingTalk, 200, """{"errcode":310000,"errmsg":"keywords not in content"}""", false, true, false)]
    [InlineData(WebhookTarget.DingTalk, 200, """{"errcode":300001,"errmsg":"token is not exist"}""", false, true, false)]
    [InlineData(WebhookTarget.DingTalk, 200, """{"errcode":130101,"errmsg":"send too fast"}""", false, false, true)]
    [InlineData(WebhookTarget.Feishu, 200, """{"code":0,"msg":"success"}""", true, false, false)]
    [InlineData(WebhookTarget.Feishu, 200, """{"code":19021,"msg":"sign match fail"}""", false, true, false)]
    [InlineData(WebhookTarget.Feishu, 200, """{"code":11232,"msg":"frequency limited"}""", false, false, true)]
    [InlineData(WebhookTarget.Feishu, 400, """{"code":9499,"msg":"too many request"}""", false, false, true)]
    [InlineData(WebhookTarget.Slack, 200, "ok", true, false, false)]
    [InlineData(WebhookTarget.Slack, 200, " ok\n", true, false, false)]
    [InlineData(WebhookTarget.Slack, 200, "no_text", false, true, false)]
    public void Judges_the_body_of_an_answer_by_the_target(
        WebhookTarget target, int status, string body, bool succeeded, bool permanent, bool rateLimited)
    {
        var verdict = WebhookTargets.For(target).Judge(status, body);

        Assert.NotNull(verdict);
        Assert.Equal((succeeded, permanent, rateLimited), (verdict.Succeeded, verdict.Permanent, verdict.RateLimited));
        Assert.Equal(succeeded, verdict.Error is null);
    }

    [Theory]
    [InlineData(WebhookTarget.Generic, 200)]
    [InlineData(WebhookTarget.WeCom, 500)]
    [InlineData(WebhookTarget.Feishu, 400)]
    [InlineData(WebhookTarget.Slack, 404)]
    [InlineData(WebhookTarget.Teams, 202)]
    [InlineData(WebhookTarget.Discord, 204)]
    public void Leaves_the_status_to_decide_where_the_target_has_no_body_rule(WebhookTarget target, int status)
    {
        Assert.Null(WebhookTargets.For(target).Judge(status, """{"errcode":93000,"code":19021}"""));
    }

    [Fact]
    public void Says_which_platform_and_code_refused_the_message()
    {
        Assert.Equal("WeCom errcode 93000: invalid webhook url",
            WebhookTargets.For(WebhookTarget.WeCom).Judge(200, """{"errcode":93000,"errmsg":"invalid webhook url"}""")!.Error);
        Assert.Equal("Feishu code 19024: keyword not found",
            WebhookTargets.For(WebhookTarget.Feishu).Judge(200, """{"code":19024,"msg":"keyword not found"}""")!.Error);
        Assert.Equal("DingTalk answered without a numeric \"errcode\": (empty body)", MessageText.English(WebhookTargets.For(WebhookTarget.DingTalk).Judge(200, null)!.Error));
        Assert.Equal("Slack did not answer \"ok\": invalid_payload", MessageText.English(WebhookTargets.For(WebhookTarget.Slack).Judge(200, "invalid_payload")!.Error));
    }

    [Fact]
    public void Waits_ten_minutes_after_dingtalk_throttles_and_leaves_other_waits_to_the_retry_policy()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), WebhookTargets.For(WebhookTarget.DingTalk).Judge(200, """{"errcode":130101}""")!.RetryAfter);
        Assert.Null(WebhookTargets.For(WebhookTarget.WeCom).Judge(200, """{"errcode":45009}""")!.RetryAfter);
        Assert.Null(WebhookTargets.For(WebhookTarget.DingTalk).Judge(200, """{"errcode":310000}""")!.RetryAfter);
    }

    [Theory]
    [InlineData(429, """{"message":"You are being rate limited.","retry_after":90.5,"global":false}""", 90_500)]
    [InlineData(429, """{"retry_after":"soon"}""", null)]
    [InlineData(429, "not json", null)]
    [InlineData(503, """{"retry_after":5}""", null)]
    public void Reads_discords_retry_after_seconds_from_a_429_body(int status, string body, int? expectedMilliseconds)
    {
        Assert.Equal(expectedMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            WebhookTargets.For(WebhookTarget.Discord).RetryAfterInBody(status, body));
        Assert.Null(WebhookTargets.For(WebhookTarget.Slack).RetryAfterInBody(status, body));
    }

    [Fact]
    public void Verdict_factories_say_what_happens_next()
    {
        Assert.Equal((true, false, false, null, null), Parts(Verdict.Success()));
        Assert.Equal((false, true, false, "e", null), Parts(Verdict.PermanentFailure("e")));
        Assert.Equal((false, false, false, "e", null), Parts(Verdict.RetryableFailure("e")));
        Assert.Equal((false, false, true, "e", TimeSpan.FromMinutes(1)), Parts(Verdict.Throttled("e", TimeSpan.FromMinutes(1))));
        Assert.Equal((false, false, true, "e", null), Parts(Verdict.Throttled("e")));
    }

    private static (bool, bool, bool, string?, TimeSpan?) Parts(Verdict verdict) =>
        (verdict.Succeeded, verdict.Permanent, verdict.RateLimited, verdict.Error, verdict.RetryAfter);
}
