namespace WebhookPortal.Features.Api;

/// <summary>One page of a list.</summary>
/// <param name="Items">The page's items.</param>
/// <param name="Total">How many items match in all.</param>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PageSize">Items per page.</param>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>The API's paging parameters: <c>page</c> from 1 (default 1), <c>pageSize</c> 1–100 (default 25); out-of-range values are clamped.</summary>
/// <param name="Number">From 1.</param>
/// <param name="Size">1–100.</param>
public readonly record struct Paging(int Number, int Size)
{
    public const int DefaultSize = 25, MaxSize = 100;

    /// <summary>The 0-based page index.</summary>
    public int Index => Number - 1;

    public static Paging Of(int? page, int? pageSize) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize));

    public PagedList<T> Result<T>(IReadOnlyList<T> items, int total) => new(items, total, Number, Size);
}
