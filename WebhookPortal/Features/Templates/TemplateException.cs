namespace WebhookPortal.Features.Templates;

/// <summary>A template could not be rendered; <see cref="Errors"/> says where and why.</summary>
public sealed class TemplateException(IReadOnlyList<TemplateError> errors)
    : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<TemplateError> Errors { get; } = errors;
}
