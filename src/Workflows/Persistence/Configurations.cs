using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Remediation.Workflows.Persistence;

internal static class MappingExtensions
{
    private static readonly ValueConverter<DateTime, DateTime> Utc =
        new(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    private static readonly ValueConverter<DateTime?, DateTime?> NullableUtc =
        new(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

    /// <summary>Times are stored in UTC; SQLite forgets the kind, so it is restored on read.</summary>
    public static PropertyBuilder<DateTime> IsUtc(this PropertyBuilder<DateTime> p) => p.HasConversion(Utc);
    public static PropertyBuilder<DateTime?> IsUtc(this PropertyBuilder<DateTime?> p) => p.HasConversion(NullableUtc);
}

internal sealed class WorkflowDefinitionConfiguration : IEntityTypeConfiguration<WorkflowDefinition>
{
    public void Configure(EntityTypeBuilder<WorkflowDefinition> b)
    {
        b.ToTable("WfDefinitions");
        b.Property(x => x.ProcessId).HasMaxLength(200);
        b.Property(x => x.Name).HasMaxLength(400);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Hash).HasMaxLength(64).IsConcurrencyToken();
        b.Property(x => x.ChangedBy).HasMaxLength(450);
        b.Property(x => x.CreatedAt).IsUtc();
        b.Property(x => x.PublishedAt).IsUtc();
        b.HasIndex(x => new { x.ProcessId, x.Version }).IsUnique();
    }
}

internal sealed class WorkflowInstanceConfiguration : IEntityTypeConfiguration<WorkflowInstance>
{
    public void Configure(EntityTypeBuilder<WorkflowInstance> b)
    {
        b.ToTable("WfInstances");
        b.Property(x => x.ProcessId).HasMaxLength(200);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.BusinessKey).HasMaxLength(200);
        b.Property(x => x.CorrelationKey).HasMaxLength(200);
        b.Property(x => x.ParentTokenId).HasMaxLength(40);
        b.Property(x => x.EndReason).HasMaxLength(1000);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.CreatedAt).IsUtc();
        b.Property(x => x.EndedAt).IsUtc();
        b.HasIndex(x => new { x.DefinitionId, x.DefinitionVersion });
        b.HasIndex(x => new { x.Status, x.ProcessId });
        b.HasIndex(x => x.BusinessKey);
        b.HasIndex(x => x.CorrelationKey);
        b.HasIndex(x => x.ParentInstanceId);
        // The admins' instance search (newest first, keyset paging on CreatedAt): each filter walks its index in order
        // and stops after a page, however many instances there are (InstanceSearchTests pins the plans).
        b.HasIndex(x => new { x.CreatedAt, x.Id }, "IX_WfInstances_CreatedAt");
        b.HasIndex(x => new { x.ProcessId, x.CreatedAt, x.Id }).HasDatabaseName("IX_WfInstances_Process_CreatedAt");
        b.HasIndex(x => new { x.DefinitionId, x.CreatedAt, x.Id }).HasDatabaseName("IX_WfInstances_Definition_CreatedAt");
        b.HasIndex(x => new { x.Status, x.CreatedAt, x.Id }).HasDatabaseName("IX_WfInstances_Status_CreatedAt");
        b.HasIndex(x => new { x.CreatedAt, x.Id }, "IX_WfInstances_Incidents_CreatedAt").HasFilter("OpenIncidents > 0");
    }
}

internal sealed class WorkItemConfiguration : IEntityTypeConfiguration<WorkItem>
{
    public void Configure(EntityTypeBuilder<WorkItem> b)
    {
        b.ToTable("WfWorkItems");
        b.Property(x => x.TokenId).HasMaxLength(40);
        b.Property(x => x.ElementId).HasMaxLength(200);
        b.Property(x => x.Name).HasMaxLength(400);
        b.Property(x => x.FormKey).HasMaxLength(200);
        b.Property(x => x.Assignee).HasMaxLength(450);
        b.Property(x => x.CompletedBy).HasMaxLength(450);
        b.Property(x => x.CandidateRoles).HasMaxLength(1000);
        b.Property(x => x.CandidateUsers).HasMaxLength(1000);
        b.Property(x => x.BusinessKey).HasMaxLength(200);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.DueAt).IsUtc();
        b.Property(x => x.CreatedAt).IsUtc();
        b.Property(x => x.CompletedAt).IsUtc();
        // The inbox reads open items only: a partial index holds just those, so history never enters the search
        // (and planner statistics dominated by finished rows cannot talk SQLite into a table scan).
        b.HasIndex(x => new { x.Assignee, x.CreatedAt }).HasFilter("Status = 'Open'").HasDatabaseName("IX_WfWorkItems_Open_Assignee_CreatedAt");
        // Work queues list open items most urgent first: walking this index in order stops after one page (docs/performance.md).
        b.HasIndex(x => new { x.Status, x.DueAt, x.CreatedAt, x.Id });
        b.HasIndex(x => new { x.InstanceId, x.Status });
        b.HasIndex(x => x.TokenId);
    }
}

internal sealed class WorkflowTimerConfiguration : IEntityTypeConfiguration<WorkflowTimer>
{
    public void Configure(EntityTypeBuilder<WorkflowTimer> b)
    {
        b.ToTable("WfTimers");
        b.Property(x => x.TokenId).HasMaxLength(40);
        b.Property(x => x.ElementId).HasMaxLength(200);
        b.Property(x => x.RepeatInterval).HasMaxLength(100);
        b.Property(x => x.JobId).HasMaxLength(100);
        // A concurrency token: of two processes firing one timer, the second finds it no longer Scheduled and conflicts. An
        // instance's timer is also guarded by the instance's Version; a timer start event's timer has only this.
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        b.Property(x => x.DueAt).IsUtc();
        b.HasIndex(x => x.DueAt).HasFilter("Status = 'Scheduled'").HasDatabaseName("IX_WfTimers_Scheduled_DueAt");
        // Each due time of a timer start event exists once, however many processes arm or fire it.
        b.HasIndex(x => new { x.DefinitionId, x.ElementId, x.DueAt }).IsUnique().HasFilter("DefinitionId IS NOT NULL")
            .HasDatabaseName("UX_WfTimers_StartDue");
        b.HasIndex(x => x.TokenId);
    }
}

internal sealed class MessageSubscriptionConfiguration : IEntityTypeConfiguration<MessageSubscription>
{
    public void Configure(EntityTypeBuilder<MessageSubscription> b)
    {
        b.ToTable("WfMessageSubscriptions");
        b.Property(x => x.TokenId).HasMaxLength(40);
        b.Property(x => x.ElementId).HasMaxLength(200);
        b.Property(x => x.MessageName).HasMaxLength(200);
        b.Property(x => x.CorrelationKey).HasMaxLength(200);
        b.Property(x => x.CreatedAt).IsUtc();
        b.HasIndex(x => new { x.MessageName, x.CorrelationKey });
        b.HasIndex(x => x.TokenId);
    }
}

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> b)
    {
        b.ToTable("WfJournal");
        b.Property(x => x.ElementId).HasMaxLength(200);
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.Detail).HasMaxLength(2000);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.At).IsUtc();
        b.HasIndex(x => new { x.InstanceId, x.Id });
    }
}

internal sealed class OutboxEntryConfiguration : IEntityTypeConfiguration<OutboxEntry>
{
    public void Configure(EntityTypeBuilder<OutboxEntry> b)
    {
        b.ToTable("WfOutbox");
        b.Property(x => x.TokenId).HasMaxLength(40);
        b.Property(x => x.ElementId).HasMaxLength(200);
        b.Property(x => x.Topic).HasMaxLength(200);
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.NextAttemptAt).IsUtc();
        b.Property(x => x.CreatedAt).IsUtc();
        b.Property(x => x.CompletedAt).IsUtc();
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
        b.HasIndex(x => x.NextAttemptAt).HasFilter("Status = 'Pending'").HasDatabaseName("IX_WfOutbox_Pending_NextAttemptAt");
        b.HasIndex(x => x.TokenId);
    }
}

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> b)
    {
        b.ToTable("WfIncidents");
        b.Property(x => x.ElementId).HasMaxLength(200);
        b.Property(x => x.TokenId).HasMaxLength(40);
        b.Property(x => x.Message).HasMaxLength(2000);
        b.Property(x => x.ResolvedBy).HasMaxLength(450);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.CreatedAt).IsUtc();
        b.Property(x => x.ResolvedAt).IsUtc();
        b.HasIndex(x => new { x.InstanceId, x.ResolvedAt });
        b.HasIndex(x => x.CreatedAt).HasFilter("ResolvedAt IS NULL").HasDatabaseName("IX_WfIncidents_Open_CreatedAt");
    }
}

internal sealed class ProcessedCommandConfiguration : IEntityTypeConfiguration<ProcessedCommand>
{
    public void Configure(EntityTypeBuilder<ProcessedCommand> b)
    {
        b.ToTable("WfProcessedCommands");
        b.HasKey(x => x.CommandId);
        b.Property(x => x.CommandId).HasMaxLength(100);
        b.Property(x => x.At).IsUtc();
    }
}
