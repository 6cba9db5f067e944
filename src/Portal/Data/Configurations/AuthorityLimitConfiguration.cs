using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Remedies;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

/// <summary>One limit per role per currency and one per user per currency.</summary>
internal sealed class AuthorityLimitConfiguration : IEntityTypeConfiguration<AuthorityLimit>
{
    public void Configure(EntityTypeBuilder<AuthorityLimit> builder)
    {
        builder.ToTable("AuthorityLimits", t => t.HasCheckConstraint("CK_AuthorityLimits_RoleXorUser",
            "([Role] IS NULL AND [UserId] IS NOT NULL) OR ([Role] IS NOT NULL AND [UserId] IS NULL)"));
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.Property(l => l.Role).HasMaxLength(256);
        builder.Property(l => l.UserId).HasMaxLength(UserIdLength);
        builder.Property(l => l.MaxAmount).HasPrecision(18, 2);
        builder.Property(l => l.Currency).HasMaxLength(CurrencyLength).IsFixedLength().IsRequired();
        // On SQL Server EF filters these unique indexes to non-null keys; SQLite already treats NULLs as distinct.
        builder.HasIndex(l => new { l.Role, l.Currency }).IsUnique();
        builder.HasIndex(l => new { l.UserId, l.Currency }).IsUnique();
    }
}
