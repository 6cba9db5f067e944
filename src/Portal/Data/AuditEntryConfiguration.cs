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
        builder.Property(e => e.UserName).HasMaxLength(AuditEntry.UserNameLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditEntry.DetailLength);
        builder.Property(e => e.RemoteIp).HasMaxLength(64);
        builder.Property(e => e.CaseReference).HasMaxLength(16);
        builder.HasIndex(e => e.OccurredAtUtc);
        // The audit page's filters; each pages newest first by Id.
        builder.HasIndex(e => e.CaseReference);
        builder.HasIndex(e => e.UserName);
        builder.HasIndex(e => e.Event);
    }
}
