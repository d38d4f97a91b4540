using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookPortal.Features.Sso;

namespace WebhookPortal.Data.Configurations;

internal sealed class SsoKeyConfiguration : IEntityTypeConfiguration<SsoKey>
{
    public void Configure(EntityTypeBuilder<SsoKey> builder)
    {
        // One key per purpose: the primary key makes two instances generating at once keep the first one written.
        builder.HasKey(k => k.Purpose);
        builder.Property(k => k.Purpose).HasMaxLength(32);
    }
}
