using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

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

    [Fact]
    public void A_refusal_by_the_open_circuit_is_not_sent_and_waits_the_break_in_the_readers_language_without_library_text()
    {
        var refused = AttemptOutcome.CircuitOpen("hooks.example:443", TimeSpan.FromSeconds(30));

        Assert.True(refused.NotSent);
        Assert.Equal((null, false, false, false, null, TimeSpan.FromSeconds(30)),
            (refused.StatusCode, refused.Succeeded, refused.Permanent, refused.RateLimited, refused.ResponseExcerpt, refused.RetryAfter));
        Assert.Equal(TimeSpan.Zero, refused.Duration);
        Assert.Equal("Circuit open for host hooks.example:443: its recent attempts all failed, so this one was not sent.",
            InCulture("en", () => MessageText.Render(refused.Error)));
        Assert.Equal("主机 hooks.example:443 已熔断：其最近的尝试全部失败，因此本次未发送。", InCulture("zh-CN", () => MessageText.Render(refused.Error)));
        Assert.StartsWith("正在等待主机 hooks.example:443 的熔断恢复", InCulture("zh-CN", () => MessageText.Render(refused.WaitNote)), StringComparison.Ordinal);
        Assert.False(AttemptOutcome.RetryableFailure("HTTP 500", Took, 500).NotSent);
    }

    private static (int?, bool, bool, bool, string?, string?, TimeSpan?) Parts(AttemptOutcome outcome) =>
        (outcome.StatusCode, outcome.Succeeded, outcome.Permanent, outcome.RateLimited, outcome.ResponseExcerpt, outcome.Error, outcome.RetryAfter);
}
