using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary><see cref="DatabaseRatePermitsContract"/> on SQLite, whose upsert the same statement uses.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DatabaseRatePermitsOnSqliteTests(PortalFactory factory) : DatabaseRatePermitsContract, IClassFixture<PortalFactory>
{
    /// <inheritdoc />
    protected override PortalFactory Host => factory;
}
