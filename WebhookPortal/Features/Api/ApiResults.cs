using WebhookPortal.Resources;

namespace WebhookPortal.Features.Api;

/// <summary>The API's RFC 9457 problem responses, so every endpoint words them alike.</summary>
public static class ApiResults
{
    /// <summary>A problem of <paramref name="status"/>; <paramref name="title"/> is English and translated here (the request's culture).</summary>
    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: UiText.Get(title), detail: detail);

    /// <summary>400 with per-field errors (keys are the JSON property names of the request).</summary>
    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: UiText.Get("One or more fields are invalid."));

    /// <summary>400 with one error for <paramref name="field"/>.</summary>
    public static ValidationProblem Invalid(string field, params string[] errors) => Invalid(new Dictionary<string, string[]> { [field] = errors });

    /// <summary>404: <paramref name="what"/> (already translated, e.g. "Client ID demo") does not exist.</summary>
    public static ProblemHttpResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not found", UiText.Format("{0} does not exist.", what));

    /// <summary>409 with <paramref name="detail"/>.</summary>
    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);
}
