using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Data.Configurations;

internal sealed class UserSequenceConfiguration : IEntityTypeConfiguration<UserSequence>
{
    public void Configure(EntityTypeBuilder<UserSequence> builder)
    {
        builder.ToTable("UserSequences");
        builder.HasKey(s => s.UserId);
        builder.Property(s => s.UserId).HasMaxLength(450);
    }
}
