using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The outcome factories: each sets exactly the flags that decide what the dispatcher does next.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AttemptOutcomeTests
{
    private static readonly TimeSpan Took = TimeSpan.FromMilliseconds(42);

    [Fact]
    public void Success_is_neither_permanent_nor_rate_limited_and_has_no_error()
    {
        Assert.Equal((200, true, false, false, "ok", null, null), Parts(AttemptOutcome.Success(200, "ok", Took)));
    }

    [Fact]
    public void Failures_say_whether_a_retry_can_help()
    {
        Assert.Equal((404, false, true, false, "body", "HTTP 404", null), Parts(AttemptOutcome.PermanentFailure("HTTP 404", Took, 404, "body")));
        Assert.Equal((null, false, true, false, null, "refused", null), Parts(AttemptOutcome.PermanentFailure("refused", Took)));
        Assert.Equal((500, false, false, false, "body", "HTTP 500", null), Parts(AttemptOutcome.RetryableFailure("HTTP 500", Took, 500, "body")));
        Assert.Equal((null, false, false, false, null, "timed out", null), Parts(AttemptOutcome.RetryableFailure("timed out", Took)));
    }

    [Fact]
    public void Throttled_is_rate_limited_and_keeps_the_wait_asked_for()
    {
        Assert.Equal((429, false, false, true, null, "HTTP 429", TimeSpan.FromSeconds(90)),
            Parts(AttemptOutcome.Throttled("HTTP 429", Took, 429, null, TimeSpan.FromSeconds(90))));
        Assert.Equal(Took, AttemptOutcome.Throttled("HTTP 503", Took, 503, null, null).Duration);
    }

    [Fact]
    public void A_judged_answer_takes_the_verdict_of_its_targets_rule()
    {
        const string throttled = """{"errcode":130101,"errmsg":"send too fast"}""";
        var verdict = WebhookTargets.For(WebhookTarget.DingTalk).Judge(200, throttled)!;

        Assert.Equal((200, false, false, true, throttled, "DingTalk errcode 130101: send too fast", TimeSpan.FromMinutes(10)),
            Parts(AttemptOutcome.Judged(verdict, 200, throttled, Took)));
        Assert.Equal((200, true, false, false, "ok", null, null), Parts(AttemptOutcome.Judged(Verdict.Success(), 200, "ok", Took)));
        Assert.True(AttemptOutcome.Judged(Verdict.PermanentFailure("no"), 200, null, Took).Permanent);
    }

    private static (int?, bool, bool, bool, string?, string?, TimeSpan?) Parts(AttemptOutcome outcome) =>
        (outcome.StatusCode, outcome.Succeeded, outcome.Permanent, outcome.RateLimited, outcome.ResponseExcerpt, outcome.Error, outcome.RetryAfter);
}
