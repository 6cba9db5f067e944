using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Remediation.Portal.Data;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Event).HasMaxLength(64).IsRequired();
        builder.Property(e => e.UserName).HasMaxLength(256);
        builder.Property(e => e.Detail).HasMaxLength(2000);
        builder.Property(e => e.RemoteIp).HasMaxLength(64);
        builder.HasIndex(e => e.OccurredAtUtc);
    }
}
