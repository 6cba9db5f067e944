using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Portal.Complaints;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

internal sealed class ComplaintReferenceCounterConfiguration : IEntityTypeConfiguration<ComplaintReferenceCounter>
{
    public void Configure(EntityTypeBuilder<ComplaintReferenceCounter> builder)
    {
        builder.ToTable("ComplaintReferenceCounters");
        builder.HasKey(c => c.Year);
        builder.Property(c => c.Year).ValueGeneratedNever();
    }
}

internal sealed class IntakeDuplicateKeyConfiguration : IEntityTypeConfiguration<IntakeDuplicateKey>
{
    public void Configure(EntityTypeBuilder<IntakeDuplicateKey> builder)
    {
        builder.ToTable("IntakeDuplicateKeys");
        builder.HasKey(k => k.Key);
        // Canonical phone (≤ 24) + "|" + order reference (≤ 64).
        builder.Property(k => k.Key).HasMaxLength(PhoneLength + 1 + 64);
        builder.Property(k => k.ComplaintId).IsConcurrencyToken();
        builder.Property(k => k.Reference).HasMaxLength(16).IsRequired();
        builder.Property(k => k.ReceivedAt).HasConversion(Utc);
    }
}
