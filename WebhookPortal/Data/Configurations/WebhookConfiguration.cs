using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Data.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(Webhook.NameMaxLength);
        builder.Property(w => w.Url).HasMaxLength(Webhook.UrlMaxLength);
        builder.Property(w => w.Method).HasMaxLength(8);
        builder.Property(w => w.DisabledReason).HasMaxLength(500);
        builder.Property(w => w.SigningSecret).HasMaxLength(100);
        builder.Property(w => w.PreviousSigningSecret).HasMaxLength(100);
        builder.Property(w => w.RobotSecret).HasMaxLength(200);
        builder.Property(w => w.Headers).HasConversion(new HeaderListConverter(), HeaderListConverter.Comparer).IsRequired();
        builder.Property(w => w.Version).IsConcurrencyToken();
        builder.HasIndex(w => new { w.Object, w.Enabled });
        // A name is unique within its client; the save-time check alone lets two requests that arrive together both pass it.
        builder.HasIndex(w => new { w.ClientKey, w.Name }).IsUnique();
    }
}
