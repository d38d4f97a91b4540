using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Data.Configurations;

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        // One attempt per number: two writers that read the same count cannot both store the next number. Also serves the
        // Delivery foreign key and the attempts of a delivery in order.
        builder.HasIndex(a => new { a.DeliveryId, a.Number }).IsUnique();
    }
}
