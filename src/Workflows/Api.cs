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
