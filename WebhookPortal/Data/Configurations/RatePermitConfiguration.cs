using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Data.Configurations;

internal sealed class RatePermitConfiguration : IEntityTypeConfiguration<RatePermit>
{
    public void Configure(EntityTypeBuilder<RatePermit> builder)
    {
        builder.ToTable("RatePermits");
        // The upsert's conflict target.
        builder.HasKey(p => new { p.WebhookId, p.Target, p.Rule });
        builder.Property(p => p.Target).HasConversion<int>();
        builder.HasIndex(p => p.ExpiresAt);
    }
}
