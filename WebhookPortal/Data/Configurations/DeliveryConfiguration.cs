using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Data.Configurations;

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.Ignore(d => d.MessageId);
        builder.Property(d => d.ClientId).HasMaxLength(64);
        builder.Property(d => d.WebhookName).HasMaxLength(100);
        builder.Property(d => d.EventType).HasMaxLength(32);
        builder.Property(d => d.Method).HasMaxLength(8);
        builder.Property(d => d.LeaseOwner).HasMaxLength(64);
        // A tracked delivery is saved only if these are as it was read (DeliveryStore.RecordAsync): a lease taken over, a
        // cancel, or another writer's attempt in between fails the UPDATE instead of being overwritten.
        builder.Property(d => d.LeaseOwner).IsConcurrencyToken();
        builder.Property(d => d.Status).IsConcurrencyToken();
        builder.Property(d => d.AttemptCount).IsConcurrencyToken();
        builder.Property(d => d.Headers).HasConversion(new HeaderListConverter(), HeaderListConverter.Comparer).IsRequired();
        builder.HasOne(d => d.Webhook).WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(d => d.Attempts).WithOne(a => a.Delivery).HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        // Due pending deliveries in schedule order (queue depth, oldest pending age).
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        // The dispatcher's claim: a seek per webhook for its oldest due deliveries; also serves the WebhookId foreign key.
        builder.HasIndex(d => new { d.WebhookId, d.Status, d.NextAttemptAt });
        // The claim's checks for an ordered webhook: seeks for an earlier pending, or a later leased, delivery of the same (webhook, user).
        builder.HasIndex(d => new { d.WebhookId, d.UserId, d.Status, d.Sequence, d.LeaseUntil });
        // The dispatcher's count of live leases reads only leased rows.
        builder.HasIndex(d => new { d.Status, d.LeaseUntil });
        builder.HasIndex(d => d.CreatedAt);
        builder.HasIndex(d => d.EventId);
    }
}
