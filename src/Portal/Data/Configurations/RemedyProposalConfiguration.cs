using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Remedies;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

/// <summary>A proposal and, in the same row, the approver's decision on it (at most one per proposal).</summary>
internal sealed class RemedyProposalConfiguration : IEntityTypeConfiguration<RemedyProposal>
{
    public void Configure(EntityTypeBuilder<RemedyProposal> builder)
    {
        builder.ToTable("RemedyProposals");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Type).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(p => p.Amount).HasPrecision(18, 2);
        builder.Property(p => p.Currency).HasMaxLength(CurrencyLength).IsFixedLength();
        builder.Property(p => p.CompensationMethod).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(p => p.Justification).HasMaxLength(4000).IsRequired();
        builder.Property(p => p.ProposedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(p => p.ProposedAt).HasConversion(Utc);
        builder.Property(p => p.ApprovalState).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(p => p.DeliveredAt).HasConversion(UtcOrNull);
        builder.HasIndex("ComplaintId", nameof(RemedyProposal.Number)).IsUnique();
        // Approvers' queue: proposals waiting for a decision.
        builder.HasIndex(p => p.ApprovalState);

        builder.OwnsOne(p => p.Approval, approval =>
        {
            approval.Property(a => a.ApproverUserId).HasColumnName("ApproverUserId").HasMaxLength(UserIdLength);
            approval.Property(a => a.Approved).HasColumnName("Approved");
            approval.Property(a => a.Reason).HasColumnName("ApprovalReason").HasMaxLength(2000);
            approval.Property(a => a.DecidedAt).HasColumnName("ApprovalDecidedAt").HasConversion(Utc);
        });
    }
}
