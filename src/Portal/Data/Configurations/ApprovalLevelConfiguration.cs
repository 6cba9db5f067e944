using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Reviews;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

/// <summary>The review approval matrix, one row per level; a currency has one level per threshold.</summary>
internal sealed class ApprovalLevelConfiguration : IEntityTypeConfiguration<ApprovalLevel>
{
    public void Configure(EntityTypeBuilder<ApprovalLevel> builder)
    {
        builder.ToTable("ApprovalLevels");
        builder.HasKey(l => new { l.Currency, l.Above });
        builder.Property(l => l.Currency).HasMaxLength(CurrencyLength).IsFixedLength();
        builder.Property(l => l.Above).HasPrecision(18, 2);
        builder.Property(l => l.Role).HasMaxLength(256).IsRequired();
    }
}
