using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookPortal.Features.Clients;

namespace WebhookPortal.Data.Configurations;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        // NOCASE: "Portal" and "portal" would be two clients nobody can tell apart.
        builder.Property(c => c.ClientId).HasMaxLength(64).UseCollation("NOCASE");
        builder.HasIndex(c => c.ClientId).IsUnique();
        builder.Property(c => c.Description).HasMaxLength(Client.DescriptionMaxLength);
        builder.Property(c => c.Version).IsConcurrencyToken();
        // Deleting a client deletes its application through OpenIddict's manager (which also revokes tokens); the link only
        // goes away by itself if the application is removed some other way.
        builder.HasOne(c => c.Application).WithMany().HasForeignKey(c => c.ApplicationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(c => c.ApplicationId).IsUnique();
        builder.HasMany(c => c.Webhooks).WithOne(w => w.Client).HasForeignKey(w => w.ClientKey).OnDelete(DeleteBehavior.Cascade);
    }
}
