namespace Remediation.Workflows.Persistence;

public enum DefinitionStatus { Draft, Published }

/// <summary>A BPMN document: one draft per process id, and numbered published versions.</summary>
public sealed class WorkflowDefinition
{
    public Guid Id { get; set; }
    public string ProcessId { get; set; } = "";
    public string? Name { get; set; }
    /// <summary>0 for the draft; 1, 2, … for published versions.</summary>
    public int Version { get; set; }
    public DefinitionStatus Status { get; set; }
    public string Xml { get; set; } = "";
    /// <summary>SHA-256 of the XML; also the draft's concurrency token (a save names the draft it replaces).</summary>
    public string Hash { get; set; } = "";
    /// <summary>When the draft was last saved (for a published version: when its draft was).</summary>
    public DateTime CreatedAt { get; set; }
    public DateTime? PublishedAt { get; set; }
    /// <summary>Who last saved the draft, or who published the version; null for files loaded at start-up.</summary>
    public string? ChangedBy { get; set; }
}

public enum InstanceStatus { Running, Completed, Cancelled }

/// <summary>Indexed query columns plus the tokens and variables as one JSON document.</summary>
public sealed class WorkflowInstance
{
    public Guid Id { get; set; }
    public Guid DefinitionId { get; set; }
    public string ProcessId { get; set; } = "";
    public int DefinitionVersion { get; set; }
    public InstanceStatus Status { get; set; }
    public string? BusinessKey { get; set; }
    public string? CorrelationKey { get; set; }
    public Guid? ParentInstanceId { get; set; }
    /// <summary>The parent's token waiting at the call activity that started this instance.</summary>
    public string? ParentTokenId { get; set; }
    public string StateJson { get; set; } = "{}";
    /// <summary>Optimistic concurrency token: incremented by every command that changes the instance.</summary>
    public int Version { get; set; }
    public int OpenIncidents { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? EndReason { get; set; }
}

public enum WorkItemStatus { Open, Completed, Cancelled }

public sealed class WorkItem
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public string TokenId { get; set; } = "";
    public string ElementId { get; set; } = "";
    public string? Name { get; set; }
    public string? FormKey { get; set; }
    public string? FormFieldsJson { get; set; }
    public string? Assignee { get; set; }
    /// <summary>Roles as <c>|Handler|Supervisor|</c>, so "one of my roles" is a LIKE over open items only.</summary>
    public string CandidateRoles { get; set; } = "";
    /// <summary>Users (ids or sign-in names, from <c>camunda:candidateUsers</c>) as <c>|li.na@example.com|</c>.</summary>
    public string CandidateUsers { get; set; } = "";
    public DateTime? DueAt { get; set; }
    public WorkItemStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CompletedBy { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? BusinessKey { get; set; }
}

public enum TimerStatus { Scheduled, Fired, Cancelled }

/// <summary>
/// The source of truth for a timer; Hangfire only holds a wake-up call for it. A timer start event's timer belongs to a
/// published definition, not to an instance: <see cref="DefinitionId"/> is set and <see cref="InstanceId"/> is empty.
/// </summary>
public sealed class WorkflowTimer
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    /// <summary>Set for a timer start event's timer: the definition whose instance it starts.</summary>
    public Guid? DefinitionId { get; set; }
    public string TokenId { get; set; } = "";
    public string ElementId { get; set; } = "";
    public DateTime DueAt { get; set; }
    /// <summary>ISO 8601 interval for the next occurrence of a cycle; null when the timer fires once.</summary>
    public string? RepeatInterval { get; set; }
    /// <summary>Occurrences left after this one; -1 means unbounded.</summary>
    public int RemainingRepeats { get; set; }
    public TimerStatus Status { get; set; }
    public string? JobId { get; set; }
}

public sealed class MessageSubscription
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public string TokenId { get; set; } = "";
    public string ElementId { get; set; } = "";
    public string MessageName { get; set; } = "";
    public string? CorrelationKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

public enum JournalKind { InstanceStarted, InstanceCompleted, InstanceCancelled, Entered, Completed, Cancelled, Failed, Claimed, Unclaimed, Reassigned, IncidentResolved, Migrated, Modified, DueDateChanged }

public sealed class JournalEntry
{
    public long Id { get; set; }
    public Guid InstanceId { get; set; }
    public string? ElementId { get; set; }
    public JournalKind Kind { get; set; }
    public string? UserId { get; set; }
    public DateTime At { get; set; }
    public string? VariablesJson { get; set; }
    public string? Detail { get; set; }
}

public enum OutboxStatus { Pending, Done, Failed, Cancelled }

public sealed class OutboxEntry
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public string TokenId { get; set; } = "";
    public string ElementId { get; set; } = "";
    public string Topic { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public string PayloadJson { get; set; } = "{}";
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public enum IncidentKind { ElementFailed, HandlerFailed }

public sealed class Incident
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public string ElementId { get; set; } = "";
    public string? TokenId { get; set; }
    public Guid? OutboxEntryId { get; set; }
    public IncidentKind Kind { get; set; }
    public string Message { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
}

/// <summary>Command ids already applied; the primary key makes a replay a no-op.</summary>
public sealed class ProcessedCommand
{
    public string CommandId { get; set; } = "";
    public Guid? InstanceId { get; set; }
    public DateTime At { get; set; }
}
