using WebhookPortal.Features.Security;

namespace WebhookPortal.Features.Api;

/// <summary>
/// The API's paging parameters: <c>page</c> from 1 (default 1), <c>pageSize</c> 1–100 (default 25). List endpoints add
/// <see cref="Validate"/>, which refuses values out of range with 400, so a caller never silently gets another page than
/// it asked for.
/// </summary>
/// <param name="Number">From 1.</param>
/// <param name="Size">1–100.</param>
public readonly record struct Paging(int Number, int Size)
{
    public const int DefaultSize = 25, MaxSize = 100;

    /// <summary>The 0-based page index.</summary>
    public int Index => Number - 1;

    /// <summary>The paging asked for, defaults filled in (values are in range once <see cref="Validate"/> passed).</summary>
    public static Paging Of(int? page, int? pageSize) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize));

    public PagedList<T> Result<T>(IReadOnlyList<T> items, int total) => new(items, total, Number, Size);

    /// <summary>
    /// Endpoint filter of the list endpoints: a 400 validation problem naming <c>page</c> (below 1) or <c>pageSize</c>
    /// (outside 1–100). A value that is not a whole number never gets here: binding refuses it with 400 first.
    /// </summary>
    public static async ValueTask<object?> Validate(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var query = context.HttpContext.Request.Query;
        var errors = FieldErrors.Of(
            ("page", int.TryParse(query["page"], out var page) && page < 1 ? ["page must be 1 or more."] : []),
            ("pageSize", int.TryParse(query["pageSize"], out var size) && size is < 1 or > MaxSize ? [$"pageSize must be from 1 to {MaxSize}."] : []));
        return errors.Count > 0 ? ApiResults.Invalid(errors) : await next(context);
    }
}
