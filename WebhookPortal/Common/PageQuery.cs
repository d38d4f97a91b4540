namespace WebhookPortal.Common;

/// <summary>Paging of an ordered query, for the list reads the pages and the API share.</summary>
public static class PageQuery
{
    /// <summary>
    /// The rows of 0-based page <paramref name="page"/> with <paramref name="pageSize"/> rows a page (at least 1). The offset is
    /// computed in 64 bits: in 32 a far page (21474838 of 100) wraps to a negative offset, which SQLite reads as 0, so the first
    /// page would come back under another number. An offset beyond <see cref="int.MaxValue"/> is past the end of any table:
    /// that page is empty.
    /// </summary>
    public static IQueryable<T> Page<T>(this IQueryable<T> ordered, int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var offset = (long)page * pageSize;
        return offset > int.MaxValue ? ordered.Take(0) : ordered.Skip((int)offset).Take(pageSize);
    }
}
