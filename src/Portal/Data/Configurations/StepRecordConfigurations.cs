using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Complaints;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

internal sealed class VentRecordConfiguration : IEntityTypeConfiguration<VentRecord>
{
    public void Configure(EntityTypeBuilder<VentRecord> builder)
    {
        builder.ToTable("ComplaintVents");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Account).HasMaxLength(8000).IsRequired();
        builder.Property(v => v.Channel).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(v => v.EmotionalState).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(v => v.FactsNoted).HasMaxLength(4000);
        builder.Property(v => v.RecordedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(v => v.RecordedAt).HasConversion(Utc);
    }
}

internal sealed class ApologyRecordConfiguration : IEntityTypeConfiguration<ApologyRecord>
{
    public void Configure(EntityTypeBuilder<ApologyRecord> builder)
    {
        builder.ToTable("ComplaintApologies");
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.WordsUsed).HasMaxLength(2000).IsRequired();
        builder.Property(a => a.GivenBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(a => a.GivenAt).HasConversion(Utc);
    }
}

internal sealed class ProbeRecordConfiguration : IEntityTypeConfiguration<ProbeRecord>
{
    public void Configure(EntityTypeBuilder<ProbeRecord> builder)
    {
        builder.ToTable("ComplaintProbes");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.WhatHappened).HasMaxLength(4000).IsRequired();
        builder.Property(p => p.HowItHappened).HasMaxLength(4000);
        builder.Property(p => p.Product).HasMaxLength(500).IsRequired();
        builder.Property(p => p.WhyDissatisfied).HasMaxLength(4000);
        builder.Property(p => p.RepresentativeInvolved).HasMaxLength(200);
        builder.Property(p => p.OtherCauses).HasMaxLength(4000);
        builder.Property(p => p.DesiredResolution).HasMaxLength(4000).IsRequired();
        builder.Property(p => p.RecordedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(p => p.RecordedAt).HasConversion(Utc);
    }
}

internal sealed class CustomerConfirmationConfiguration : IEntityTypeConfiguration<CustomerConfirmation>
{
    public void Configure(EntityTypeBuilder<CustomerConfirmation> builder)
    {
        builder.ToTable("CustomerConfirmations");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Reason).HasMaxLength(2000);
        builder.Property(c => c.RecordedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(c => c.RecordedAt).HasConversion(Utc);
        // Which proposal the customer answered; the proposal row belongs to the same complaint.
        builder.HasIndex(c => c.ProposalId);
    }
}

internal sealed class FollowUpRecordConfiguration : IEntityTypeConfiguration<FollowUpRecord>
{
    public void Configure(EntityTypeBuilder<FollowUpRecord> builder)
    {
        builder.ToTable("ComplaintFollowUps");
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Method).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(f => f.Comment).HasMaxLength(4000);
        builder.Property(f => f.RecordedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(f => f.RecordedAt).HasConversion(Utc);
        builder.ToTable(t => t.HasCheckConstraint("CK_ComplaintFollowUps_Satisfaction", "[Satisfaction] BETWEEN 1 AND 5"));
    }
}

/// <summary>Work orders (客服工单) get their own table so supervisors can list the open ones without loading complaints.</summary>
internal sealed class WorkOrderConfiguration : IEntityTypeConfiguration<WorkOrder>
{
    public void Configure(EntityTypeBuilder<WorkOrder> builder)
    {
        builder.ToTable("WorkOrders");
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.CustomerName).HasMaxLength(200).IsRequired();
        builder.Property(w => w.CustomerPhone).HasConversion(Phone).HasMaxLength(PhoneLength).IsRequired();
        builder.Property(w => w.ComplaintContent).HasMaxLength(4000).IsRequired();
        builder.Property(w => w.Trigger).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(w => w.HandedUpBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(w => w.Reason).HasMaxLength(2000).IsRequired();
        builder.Property(w => w.CreatedAt).HasConversion(Utc);
        builder.Property(w => w.ResolvedBy).HasMaxLength(UserIdLength);
        builder.Property(w => w.Resolution).HasMaxLength(4000);
        builder.Property(w => w.ResolvedAt).HasConversion(UtcOrNull);
        builder.Property(w => w.ContactChannel).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(w => w.ContactedAt).HasConversion(UtcOrNull);
        builder.Property(w => w.ContactSummary).HasMaxLength(2000);
        builder.Property(w => w.FollowUpAt).HasConversion(UtcOrNull);
        builder.HasIndex(w => new { w.ResolvedAt, w.CreatedAt });
    }
}
