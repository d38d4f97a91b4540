namespace WebhookPortal.Features.Api;

/// <summary>One page of a list.</summary>
/// <param name="Items">The page's items.</param>
/// <param name="Total">How many items match in all.</param>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PageSize">Items per page.</param>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
