namespace WebhookPortal.Features.Webhooks;

/// <summary>
/// How a webhook's URL decides its receiver kind and body, the same for the Create Webhook dialog and the API: a bare robot
/// key is completed to its URL (<see cref="WebhookTargets.CompleteUrl"/>), the target follows the URL unless one was chosen,
/// and a body nobody wrote (empty, or one of the presets unchanged) is the target's first preset — a WeCom robot refuses the
/// generic body with errcode 40008.
/// </summary>
public static class WebhookTargetRules
{
    /// <summary>
    /// Puts what was typed into URL (<paramref name="input"/>) into <paramref name="model"/>, completed where it stands for
    /// one URL; returns the kind that completed it (its <see cref="TargetDefinition.UrlCompletionNote"/> says so), or null
    /// when the text was kept as typed.
    /// </summary>
    public static TargetDefinition? SetUrl(WebhookModel model, string? input)
    {
        var (completed, completedBy) = WebhookTargets.CompleteUrl(input);
        model.Url = completedBy is null ? input ?? "" : completed;
        return completedBy;
    }

    /// <summary>True when <paramref name="body"/> was not written by anyone: empty, blank, or exactly one of the presets.</summary>
    public static bool IsUnwritten(string? body) =>
        string.IsNullOrWhiteSpace(body) || WebhookPresets.All.Any(p => p.Template == body);

    /// <summary>
    /// After the URL or the chosen target of <paramref name="model"/> may have changed from <paramref name="before"/> (null:
    /// the body is new and follows whatever target there is): keeps <see cref="WebhookModel.Target"/> in step with the URL,
    /// and gives an unwritten body of a method that sends one the effective target's first preset. Returns that preset, or
    /// null when the body was kept. An empty body of a Generic webhook stays empty (it sends the default body).
    /// </summary>
    public static WebhookPreset? FollowTarget(WebhookModel model, WebhookTarget? before)
    {
        if (!model.TargetChosen)
        {
            model.Target = WebhookTargets.Detect(model.Url);
        }

        var target = model.EffectiveTarget;
        if (target == before || !WebhookMethods.HasBody(model.Method) || !IsUnwritten(model.Body))
        {
            return null;
        }

        var preset = WebhookPresets.For(target);
        if (preset.Template == model.Body || (target == WebhookTarget.Generic && string.IsNullOrWhiteSpace(model.Body)))
        {
            return null;
        }

        model.Body = preset.Template;
        return preset;
    }
}
