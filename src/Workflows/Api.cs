using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows;

/// <summary>Who acts: the user id and the roles that decide which unassigned tasks they may take.</summary>
/// <param name="Id">The user's id, as assignees and journal rows name them.</param>
/// <param name="Name">The user's sign-in name, which <c>camunda:candidateUsers</c> may name instead of the id.</param>
public sealed record WorkflowUser(string Id, IReadOnlyCollection<string> Roles, string? Name = null)
{
    /// <summary>
    /// Whether the user is a candidate for a task with these candidates (stored as <c>|a|b|</c>): one of their roles is a
    /// candidate group, or their id or name is a candidate user. A task with neither may be taken by anyone.
    /// </summary>
    public bool IsCandidate(string candidateRoles, string candidateUsers) =>
        candidateRoles.Length == 0 && candidateUsers.Length == 0
        || Roles.Any(r => candidateRoles.Contains("|" + r + "|", StringComparison.Ordinal))
        || candidateUsers.Contains("|" + Id + "|", StringComparison.Ordinal)
        || Name is { Length: > 0 } && candidateUsers.Contains("|" + Name + "|", StringComparison.OrdinalIgnoreCase);
}

public enum WorkflowOutcome { Ok, NotFound, Conflict, Forbidden, Invalid }

/// <summary>Another command won: who acted, and when.</summary>
public sealed record ConflictInfo(string? ActedBy, DateTime? ActedAt);

/// <summary>The outcome of a command. Expected failures are values, never exceptions.</summary>
public record WorkflowResult(WorkflowOutcome Outcome, string? Message = null)
{
    public ConflictInfo? Conflict { get; init; }
    public IReadOnlyList<ValidationProblem> Problems { get; init; } = [];
    /// <summary>True when the command id had already been applied: nothing was changed.</summary>
    public bool Replayed { get; init; }
    public bool IsOk => Outcome == WorkflowOutcome.Ok;

    public static WorkflowResult Ok() => new(WorkflowOutcome.Ok);
    public static WorkflowResult NotFound(string message) => new(WorkflowOutcome.NotFound, message);
    public static WorkflowResult Forbidden(string message) => new(WorkflowOutcome.Forbidden, message);
    public static WorkflowResult Invalid(string message, IReadOnlyList<ValidationProblem>? problems = null) => new(WorkflowOutcome.Invalid, message) { Problems = problems ?? [] };
    public static WorkflowResult Conflicted(string message, ConflictInfo? info) => new(WorkflowOutcome.Conflict, message) { Conflict = info };
}

/// <summary>A result that carries a value when <see cref="WorkflowResult.IsOk"/>.</summary>
public sealed record WorkflowResult<T>(WorkflowOutcome Outcome, T? Value, string? Message = null) : WorkflowResult(Outcome, Message)
{
    public static WorkflowResult<T> From(WorkflowResult result, T? value = default) =>
        new(result.Outcome, value, result.Message) { Conflict = result.Conflict, Problems = result.Problems, Replayed = result.Replayed };
}

public sealed record StartProcess(
    string ProcessId,
    string? BusinessKey = null,
    IReadOnlyDictionary<string, object?>? Variables = null,
    string? CorrelationKey = null,
    string? UserId = null,
    string? CommandId = null);

public sealed record CompleteTask(Guid TaskId, WorkflowUser User, IReadOnlyDictionary<string, object?>? Variables, string CommandId);

/// <summary>
/// Runs on the engine's DbContext when the command is about to commit, so that what it adds or changes (a domain record
/// with the step) is saved atomically with the engine's rows. With serialized commits (SQLite) it runs before the single
/// writer, not inside it: its reads must not rely on a lock, and any row it changes needs a concurrency token so a change
/// made by someone else in between turns the command into a conflict. Otherwise (SQL Server) it runs inside the command's
/// transaction. An exception it throws aborts the command with nothing saved.
/// </summary>
public delegate Task OnCommit(DbContext db, CancellationToken cancellationToken);

/// <summary>
/// A host's part of a task completion, so that a step reads the task and the host's record once: it runs after the engine
/// has loaded the open task and checked that the user may complete it, before the token moves on. It reads and changes the
/// host's rows through <paramref name="db"/>, the command's own context (saved atomically with the engine's rows; a row
/// someone else may change meanwhile needs a concurrency token), and returns process variables to add to the command's
/// (they win over the command's own). An exception it throws aborts the command with nothing saved. It does not run for a
/// replayed command or a task that is no longer open. It may run more than once for one completion: when the commit loses a
/// race on the instance (another task of it completed meanwhile) the completion is tried again on fresh state, with a fresh
/// context; nothing of the lost try was saved.
/// </summary>
public delegate Task<IReadOnlyDictionary<string, object?>?> OnComplete(DbContext db, WorkItemView task, CancellationToken cancellationToken);

public sealed record WorkItemView(
    Guid Id, Guid InstanceId, string ElementId, string? Name, string? FormKey, IReadOnlyList<FormField> FormFields,
    string? Assignee, IReadOnlyList<string> CandidateRoles, DateTime? DueAt, WorkItemStatus Status,
    DateTime CreatedAt, string? CompletedBy, DateTime? CompletedAt, string? BusinessKey, IReadOnlyList<string> CandidateUsers)
{
    /// <summary>Whether <paramref name="user"/> may take this task (<see cref="WorkflowUser.IsCandidate"/>).</summary>
    public bool IsCandidate(WorkflowUser user) => user.IsCandidate(Stored(CandidateRoles), Stored(CandidateUsers));

    private static string Stored(IReadOnlyList<string> names) => names.Count == 0 ? "" : "|" + string.Join('|', names) + "|";
}

public sealed record IncidentView(Guid Id, string ElementId, IncidentKind Kind, string Message, DateTime CreatedAt);

public sealed record InstanceView(
    Guid Id, string ProcessId, int DefinitionVersion, InstanceStatus Status, string? BusinessKey, string? CorrelationKey,
    Guid? ParentInstanceId, IReadOnlyList<string> ActiveElementIds, IReadOnlyDictionary<string, object?> Variables,
    IReadOnlyList<IncidentView> OpenIncidents, DateTime CreatedAt, DateTime? EndedAt, int Version);

public sealed record JournalView(long Id, string? ElementId, JournalKind Kind, string? UserId, DateTime At, string? VariablesJson, string? Detail);

/// <summary>A draft or a published version. <see cref="Hash"/> is the draft's token: a save or publish that names it
/// is refused when someone else saved the draft since.</summary>
public sealed record DefinitionView(Guid Id, string ProcessId, string? Name, int Version, DefinitionStatus Status, string Hash, DateTime CreatedAt, DateTime? PublishedAt)
{
    /// <summary>Who saved the draft, or who published the version.</summary>
    public string? ChangedBy { get; init; }

    /// <summary>The token of "no draft, the latest version is <paramref name="publishedVersion"/>" (0: never published), so
    /// an editor opened on version 1 is refused after someone published version 2 in between.</summary>
    public static string NoDraftToken(int publishedVersion) => $"v{publishedVersion}";
}

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, bool HasMore);

/// <summary>The engine's runtime API: the one interface the portal uses to start and move process instances.</summary>
public interface IWorkflowRuntime
{
    /// <summary>
    /// Starts an instance of the latest published version of a process and runs it until every token waits.
    /// <paramref name="onCommit"/> joins the same transaction (e.g. to save the case the instance is about).
    /// </summary>
    Task<WorkflowResult<Guid>> StartAsync(StartProcess command, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>Takes an unassigned task in one of the user's roles. Conflict if someone else holds it.</summary>
    Task<WorkflowResult> ClaimAsync(Guid taskId, WorkflowUser user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a task back to its candidate roles: the user holding it, or a manager (<see cref="WorkflowOptions.ManagerRoles"/>)
    /// anyone's. <paramref name="onCommit"/> joins the same transaction (an audit entry).
    /// </summary>
    Task<WorkflowResult> UnclaimAsync(Guid taskId, WorkflowUser user, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>
    /// Hands a task to another user; allowed to its assignee and to <see cref="WorkflowOptions.ManagerRoles"/>. The engine does
    /// not know other users' roles: the host checks the new assignee may work the task. <paramref name="onCommit"/> joins the
    /// same transaction (an audit entry, the new holder's notification).
    /// </summary>
    Task<WorkflowResult> ReassignAsync(Guid taskId, WorkflowUser user, string newAssignee, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>
    /// Moves an open task's due date (managers only, <see cref="WorkflowOptions.ManagerRoles"/>): <paramref name="dueAt"/> must be
    /// in the future and a reason is required, else Invalid. The task's deadline timers — its boundary timers due at the old due
    /// date, still waiting or already fired (a non-interrupting SLA timer) — are armed again at the new one, so the SLA follows
    /// the task. Journalled as <see cref="JournalKind.DueDateChanged"/> with the reason. <paramref name="onCommit"/> joins the
    /// same transaction (an audit entry, the host's overdue mark).
    /// </summary>
    Task<WorkflowResult> ChangeDueDateAsync(Guid taskId, WorkflowUser user, DateTime dueAt, string reason, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>
    /// Completes a task with the given variables. Conflict (with who completed it and when) if another command got there first;
    /// replaying <see cref="CompleteTask.CommandId"/> is a no-op. <paramref name="onCommit"/> joins the same transaction.
    /// </summary>
    Task<WorkflowResult> CompleteTaskAsync(CompleteTask command, OnComplete? onComplete = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers a message to every instance waiting for it under the correlation key, or starts processes with that message
    /// start. Returns how many instances it reached. <paramref name="onCommit"/> joins each reaching command's transaction
    /// (e.g. to record what the message reports, so the record and the move are saved together); it does not run when the
    /// message reaches nobody.
    /// </summary>
    Task<WorkflowResult<int>> CorrelateMessageAsync(string messageName, string? correlationKey, IReadOnlyDictionary<string, object?>? variables = null, string? commandId = null, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>Fires a timer if it is due and still scheduled; otherwise does nothing (early, late and repeated calls are harmless).</summary>
    Task<WorkflowResult> FireTimerAsync(Guid timerId, CancellationToken cancellationToken = default);

    /// <summary>Cancels an instance, its bookmarks and its child instances. <paramref name="onCommit"/> joins the same transaction (an audit entry).</summary>
    Task<WorkflowResult> CancelAsync(Guid instanceId, string reason, string? userId = null, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>Re-runs the element (or the handler) an incident stopped at. <paramref name="onCommit"/> joins the same transaction (an audit entry).</summary>
    Task<WorkflowResult> RetryIncidentAsync(Guid incidentId, string? userId = null, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>Open tasks assigned to the user, or unassigned in one of the user's roles, oldest first.</summary>
    Task<Page<WorkItemView>> GetTasksForUserAsync(WorkflowUser user, int pageNumber = 1, int pageSize = 20, CancellationToken cancellationToken = default);

    Task<WorkItemView?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WorkItemView>> GetTasksOfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>An instance with the ids of the elements its tokens are at.</summary>
    Task<InstanceView?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JournalView>> GetJournalAsync(Guid instanceId, CancellationToken cancellationToken = default);
}

/// <summary>Drafts and published versions of process definitions.</summary>
public interface IWorkflowDefinitions
{
    /// <summary>Parses and validates a document without storing it (the designer and <c>bpmn validate</c>).</summary>
    Task<IReadOnlyList<ValidationProblem>> ValidateAsync(string xml, CancellationToken cancellationToken = default);

    /// <summary>Stores the document as the draft of its process (replacing an earlier draft). Invalid only when it cannot be read.</summary>
    Task<WorkflowResult<DefinitionView>> SaveDraftAsync(string xml, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the document as the draft of its process for <paramref name="userId"/>, only if the draft is still the one
    /// the editor started from: <paramref name="expectedToken"/> is that draft's <see cref="DefinitionView.Hash"/>, or
    /// <see cref="DefinitionView.NoDraftToken"/> of the latest version when there was no draft. Otherwise Conflict, naming who saved (or published) in between and when; nothing is saved.
    /// A null token skips the check (files loaded at start-up, an upload). <paramref name="onCommit"/> joins the save's
    /// transaction (an audit entry).
    /// </summary>
    Task<WorkflowResult<DefinitionView>> SaveDraftAsync(string xml, string? userId, string? expectedToken, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>As <see cref="PublishAsync(string, CancellationToken)"/>, by <paramref name="userId"/>, only if the draft is
    /// still the one with <paramref name="expectedToken"/> (the one whose changes the publisher saw); otherwise Conflict.
    /// <paramref name="onCommit"/> joins the publish's transaction (an audit entry).</summary>
    Task<WorkflowResult<DefinitionView>> PublishAsync(string processId, string? userId, string? expectedToken, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>Validates the draft and, when it has no errors, publishes it as the next version; warnings come back in
    /// <see cref="WorkflowResult.Problems"/> either way.</summary>
    Task<WorkflowResult<DefinitionView>> PublishAsync(string processId, CancellationToken cancellationToken = default);

    /// <summary>Drafts and versions, newest first.</summary>
    Task<IReadOnlyList<DefinitionView>> ListAsync(string? processId = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// The process's one database writer. With serialized commits (SQLite, which has one write lock per file) the engine's
/// group commits and every other write of the process take turns here, so no write waits in SQLite's busy handler,
/// which sleeps in steps of up to 100 ms while another connection holds the lock. Without serialized commits (SQL
/// Server) it does nothing.
/// </summary>
public interface IWriteGate
{
    /// <summary>True in the async flow that holds the gate (the engine's writer, a <see cref="RunAsync"/> body).</summary>
    bool IsHeld { get; }
    Task EnterAsync(CancellationToken cancellationToken);
    void Exit();
    /// <summary>Runs <paramref name="write"/> (one short transaction) while no other write of the process runs.</summary>
    Task RunAsync(Func<Task> write, CancellationToken cancellationToken);
}

/// <summary>An element of a published version, as a migration mapping or a modification names it.</summary>
public sealed record ElementRef(string Id, string? Name, string ElementType, string? ScopeId);

/// <summary>
/// A migration of running instances from one published version of a process to another: for each element of the old version
/// where a token may wait, the element of the new version it moves to (<see cref="Mapping"/>; an element with no entry has no
/// counterpart and an instance waiting there is not migrated).
/// </summary>
public sealed record MigrationPlan(string ProcessId, int FromVersion, int ToVersion, IReadOnlyDictionary<string, string> Mapping);

/// <summary>An element of the old version where running instances wait: how many, and the element it maps to (null: none).</summary>
public sealed record MigrationSource(ElementRef Element, int Instances, string? TargetId);

/// <summary>A plan with what the page shows: where the instances of the old version wait, the new version's elements, how many run.</summary>
public sealed record MigrationPlanView(MigrationPlan Plan, IReadOnlyList<MigrationSource> Sources, IReadOnlyList<ElementRef> TargetElements, int RunningInstances);

/// <summary>Why an instance is not migrated.</summary>
public enum MigrationRefusalKind
{
    /// <summary>The instance is no longer running on the plan's old version.</summary>
    NotOnVersion,
    /// <summary>An open incident: retry or resolve it first.</summary>
    OpenIncident,
    /// <summary>A token waits at an element the new version does not have and no mapping names.</summary>
    ElementMissing,
    /// <summary>The mapped element is of another kind (a user task mapped to a timer, …).</summary>
    DifferentKind,
    /// <summary>The element or its counterpart is multi-instance.</summary>
    MultiInstance,
    /// <summary>The element lies in another sub-process (or on another level) in the new version.</summary>
    ScopeChanged,
    /// <summary>The token waits at an event-based gateway.</summary>
    EventGateway,
    /// <summary>A token waits at a join whose incoming flow the new version does not have.</summary>
    JoinChanged,
    /// <summary>A service task or message throw whose handler topic changed while its call is pending.</summary>
    TopicChanged,
    /// <summary>A call activity that calls another process in the new version.</summary>
    CalledProcessChanged,
    /// <summary>A token is not at rest (mid-flight or stopped by an incident).</summary>
    NotWaiting,
    /// <summary>A token runs in an event sub-process (its trigger has fired).</summary>
    InEventSubProcess,
    /// <summary>The new element could not be prepared (a timer or candidate-group expression failed on the instance's variables).</summary>
    Failed,
}

/// <summary>Why one instance cannot migrate: the kind, the element it concerns (id and name) and the mapped element, if any.</summary>
public sealed record MigrationRefusal(MigrationRefusalKind Kind, string? ElementId, string? ElementName, string? TargetId, string Message);

/// <summary>One instance in a dry run: migratable when <see cref="Refusal"/> is null.</summary>
public sealed record MigrationCheck(Guid InstanceId, string? BusinessKey, DateTime CreatedAt, IReadOnlyList<string> ActiveElementIds, MigrationRefusal? Refusal)
{
    public bool Migratable => Refusal is null;
}

/// <summary>What a modification can cancel (the elements where the instance's process-level tokens are) and where it can start.</summary>
public sealed record ModificationChoices(IReadOnlyList<ElementRef> Cancellable, IReadOnlyList<ElementRef> Startable);

/// <summary>What a modification does, computed by running it and not saving: the elements cancelled, entered (in order), where the
/// instance then waits, incidents it would raise, and the instance's status afterwards.</summary>
public sealed record ModificationPreview(IReadOnlyList<ElementRef> Cancelled, IReadOnlyList<ElementRef> Entered, IReadOnlyList<ElementRef> WaitsAt,
    IReadOnlyList<string> Incidents, InstanceStatus StatusAfter);

/// <summary>
/// Changes to running instances an admin makes: migration to another version of their process, and modification (moving a token).
/// Each change of an instance is one engine command with its own transaction, journaled, guarded by the instance's row version.
/// </summary>
public interface IInstanceChanges
{
    /// <summary>
    /// The plan from <paramref name="fromVersion"/> to <paramref name="toVersion"/>: each element where a running instance of the old
    /// version waits, mapped to the element with the same id in the new version, then <paramref name="overrides"/> (source id → target id;
    /// an empty target removes the mapping). Invalid when a version is not published or an override names an element that does not exist.
    /// </summary>
    Task<WorkflowResult<MigrationPlanView>> PlanAsync(string processId, int fromVersion, int toVersion, IReadOnlyDictionary<string, string>? overrides = null, CancellationToken cancellationToken = default);

    /// <summary>Checks the running instances of the plan's old version (by id, after <paramref name="after"/>, at most <paramref name="limit"/>) without changing anything.</summary>
    Task<IReadOnlyList<MigrationCheck>> DryRunAsync(MigrationPlan plan, Guid? after = null, int limit = 200, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves one instance to the plan's new version in one command: tokens, open work items (same id, holder and due date; name, form and
    /// candidate roles of the new element), timers, message subscriptions and pending handler calls; boundary timers the new element
    /// does not have are cancelled, ones it adds are armed from now. Journaled as migrated by <paramref name="userId"/>.
    /// Invalid, with the <see cref="MigrationRefusal"/> as value, when the instance cannot migrate (nothing is changed).
    /// <paramref name="onCommit"/> joins the same transaction (an audit entry).
    /// </summary>
    Task<WorkflowResult<MigrationRefusal>> MigrateAsync(Guid instanceId, MigrationPlan plan, string? userId = null, CancellationToken cancellationToken = default, OnCommit? onCommit = null);

    /// <summary>What a modification of the instance can cancel and start; null when the instance does not exist.</summary>
    Task<ModificationChoices?> ModificationChoicesAsync(Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>Runs the modification and does not save it: what <see cref="ModifyAsync"/> would do now.</summary>
    Task<WorkflowResult<ModificationPreview>> PreviewModificationAsync(Guid instanceId, string cancelElementId, string startElementId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels the instance's process-level tokens at <paramref name="cancelElementId"/> (with their tasks, timers, subscriptions,
    /// calls, child instances and incidents) and starts a token at <paramref name="startElementId"/>, run until it waits, in one command
    /// journaled with <paramref name="reason"/>. <paramref name="onCommit"/> joins the same transaction (an audit entry).
    /// </summary>
    Task<WorkflowResult> ModifyAsync(Guid instanceId, string cancelElementId, string startElementId, string reason, string? userId = null, CancellationToken cancellationToken = default, OnCommit? onCommit = null);
}
