using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Inbox;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Reviews;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Team;

public enum TaskChangeKind { Reassigned, ReturnedToPool, TakenOver, DueDateExtended }

/// <summary>
/// A supervisor's change to a task (who holds it, when it is due), kept for the case timeline in words. Written in the
/// engine command's transaction, with the audit entry.
/// </summary>
public sealed class TaskChange
{
    public Guid Id { get; set; }
    /// <summary>The task's business key: a complaint reference or a review key.</summary>
    public string Reference { get; set; } = "";
    public Guid TaskId { get; set; }
    public string ElementId { get; set; } = "";
    public TaskChangeKind Kind { get; set; }
    /// <summary>The new holder (reassigned, taken over).</summary>
    public string? ToUserId { get; set; }
    /// <summary>The new due date (extended).</summary>
    public DateTime? DueAt { get; set; }
    public string? Reason { get; set; }
    public string ByUserId { get; set; } = "";
    public DateTime At { get; set; }
}

internal sealed class TaskChangeConfiguration : IEntityTypeConfiguration<TaskChange>
{
    public void Configure(EntityTypeBuilder<TaskChange> b)
    {
        b.ToTable("TaskChanges");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Reference).HasMaxLength(100).IsRequired();
        b.Property(x => x.ElementId).HasMaxLength(200).IsRequired();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.ToUserId).HasMaxLength(450);
        b.Property(x => x.ByUserId).HasMaxLength(450).IsRequired();
        b.Property(x => x.Reason).HasMaxLength(TeamDesk.ReasonLength);
        b.Property(x => x.At).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        b.Property(x => x.DueAt).HasConversion(v => v, v => v == null ? null : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
        // The case timeline reads one reference's changes.
        b.HasIndex(x => new { x.Reference, x.At });
    }
}

/// <summary>An open complaint or review task as the team view lists it.</summary>
public sealed record TeamTask(Guid TaskId, string ElementId, string? FormKey, string? Assignee, IReadOnlyList<string> CandidateRoles,
    DateTime? DueAt, DateTime CreatedAt, string Reference, Guid? ComplaintId, Guid? ReviewId)
{
    public bool IsOverdue(DateTime now) => DueAt < now;
}

public sealed record HolderLoad(string? UserId, int Open, int Overdue);
public sealed record StepLoad(string FormKey, int Open, int Overdue);

/// <summary>Someone a task can be handed to: an active member of staff and their roles.</summary>
public sealed record StaffMember(string Id, string Name, IReadOnlyList<string> Roles)
{
    public bool MayWork(IEnumerable<string> candidateRoles) => candidateRoles.Any(Roles.Contains);
}

public enum TeamOutcome { Done, Invalid, NotFound, Forbidden, Conflict }

/// <summary>What became of a supervisor's action; <see cref="Message"/> is an English resource key with <see cref="Args"/>.</summary>
public sealed record TeamResult(TeamOutcome Outcome, string? Message = null, params object[] Args)
{
    public bool Succeeded => Outcome == TeamOutcome.Done;
}

/// <summary>
/// The supervisors' team view: open complaint and review tasks by holder and by step, overdue counts, and the actions
/// on any task — reassign to a person who may work it, return to the pool, take over, extend the due date with a reason.
/// Each action is one engine command; its audit entry, timeline record (<see cref="TaskChange"/>), the new holder's inbox
/// entry and the complaint's overdue mark join that command's transaction, after the access checks.
/// </summary>
public sealed class TeamDesk(RemediationDbContext db, IWorkflowRuntime runtime, IAuditLog audit, TimeProvider clock)
{
    public const int ReasonLength = 1000;
    public const int PageSize = 50;

    /// <summary>The form keys of the tasks the team view covers.</summary>
    public static readonly string[] FormKeys = [.. ComplaintProcess.FormKeys.All, .. ReviewProcess.FormKeys.All];

    private IQueryable<WorkItem> OpenTasks() => db.Set<WorkItem>().AsNoTracking()
        .Where(w => w.Status == WorkItemStatus.Open && w.FormKey != null && FormKeys.Contains(w.FormKey));

    /// <summary>
    /// Open and overdue tasks per holder (null: the pool; the pool first, then the most overdue) and per step (form key, in
    /// the order of the procedures): one pass over the open work items, grouped by both.
    /// </summary>
    public async Task<(IReadOnlyList<HolderLoad> ByHolder, IReadOnlyList<StepLoad> ByStep)> LoadsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await OpenTasks().GroupBy(w => new { w.Assignee, w.FormKey })
            .Select(g => new { g.Key.Assignee, FormKey = g.Key.FormKey!, Open = g.Count(), Overdue = g.Count(w => w.DueAt < now) }).ToListAsync(ct);
        var byHolder = rows.GroupBy(r => r.Assignee).Select(g => new HolderLoad(g.Key, g.Sum(r => r.Open), g.Sum(r => r.Overdue)))
            .OrderBy(r => r.UserId is not null).ThenByDescending(r => r.Overdue).ThenByDescending(r => r.Open).ToList();
        var byStep = rows.GroupBy(r => r.FormKey).Select(g => new StepLoad(g.Key, g.Sum(r => r.Open), g.Sum(r => r.Overdue)))
            .OrderBy(r => Array.IndexOf(FormKeys, r.FormKey)).ToList();
        return (byHolder, byStep);
    }

    /// <summary>
    /// Open tasks, earliest due first: of one holder (<paramref name="holder"/> a user id), of the pool (<see cref="Pool"/>) or
    /// everyone's (null); optionally only the overdue ones.
    /// </summary>
    public async Task<Page<TeamTask>> ListAsync(string? holder, bool overdueOnly, int pageNumber, CancellationToken ct)
    {
        pageNumber = Math.Max(1, pageNumber);
        var now = clock.GetUtcNow().UtcDateTime;
        var tasks = OpenTasks();
        if (holder == Pool) tasks = tasks.Where(w => w.Assignee == null);
        else if (!string.IsNullOrEmpty(holder)) tasks = tasks.Where(w => w.Assignee == holder);
        if (overdueOnly) tasks = tasks.Where(w => w.DueAt < now);
        var rows = await tasks.OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id)
            .Skip((pageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        var shown = rows.Take(PageSize).ToList();
        var items = await ToTeamTasksAsync(shown, ct);
        return new(items, pageNumber, PageSize, rows.Count > PageSize);
    }

    /// <summary>The value of the holder filter meaning "unassigned".</summary>
    public const string Pool = "pool";

    /// <summary>One open task of the view, or null when it is not an open complaint or review task.</summary>
    public async Task<TeamTask?> FindAsync(Guid taskId, CancellationToken ct) =>
        await OpenTasks().Where(w => w.Id == taskId).ToListAsync(ct) is [var item] ? (await ToTeamTasksAsync([item], ct))[0] : null;

    private async Task<IReadOnlyList<TeamTask>> ToTeamTasksAsync(List<WorkItem> items, CancellationToken ct)
    {
        var references = items.Select(w => w.BusinessKey).OfType<string>().Where(k => !k.StartsWith("review:", StringComparison.Ordinal))
            .Select(k => ComplaintReference.TryParse(k, out var r) ? r : null).OfType<ComplaintReference>().Distinct().ToList();
        var complaints = references.Count == 0 ? [] : await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes()
            .Where(c => references.Contains(c.Reference)).Select(c => new { c.Id, c.Reference }).ToListAsync(ct);
        var ids = complaints.ToDictionary(c => c.Reference.ToString(), c => c.Id);
        return items.Select(w => new TeamTask(w.Id, w.ElementId, w.FormKey, w.Assignee,
            w.CandidateRoles.Split('|', StringSplitOptions.RemoveEmptyEntries), w.DueAt is { } d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null,
            DateTime.SpecifyKind(w.CreatedAt, DateTimeKind.Utc), w.BusinessKey ?? "",
            w.BusinessKey is { } key && ids.TryGetValue(key, out var id) ? id : null, ApprovalDesk.ReviewId(w.BusinessKey))).ToList();
    }

    /// <summary>Active staff (not disabled) with their roles, by name: the people a task can be handed to.</summary>
    public async Task<IReadOnlyList<StaffMember>> StaffAsync(CancellationToken ct)
    {
        var rows = await (from u in db.Users.AsNoTracking()
                          where !u.IsDisabled
                          from ur in db.UserRoles.Where(ur => ur.UserId == u.Id).DefaultIfEmpty()
                          from r in db.Roles.Where(r => r.Id == ur!.RoleId).DefaultIfEmpty()
                          select new { u.Id, u.DisplayName, u.UserName, Role = r == null ? null : r.Name }).ToListAsync(ct);
        return rows.GroupBy(r => r.Id)
            .Select(g => new StaffMember(g.Key, ComplaintSteps.DisplayName(g.Key, g.First().DisplayName, g.First().UserName),
                g.Select(r => r.Role).OfType<string>().ToList()))
            .OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>Hands the task to <paramref name="toUserId"/>, who must be active and hold one of its candidate roles.</summary>
    public async Task<TeamResult> ReassignAsync(Guid taskId, string? toUserId, WorkflowUser actor, string actorName, CancellationToken ct)
    {
        if (await FindAsync(taskId, ct) is not { } task) return await NotFoundAsync(taskId, actorName, ct);
        if (string.IsNullOrWhiteSpace(toUserId)) return new(TeamOutcome.Invalid, "Choose the person to hand the step to.");
        var everyone = await StaffAsync(ct);
        var staff = everyone.FirstOrDefault(s => s.Id == toUserId);
        // The inbox names people as pages do: by display name.
        var actorDisplayName = everyone.FirstOrDefault(s => s.Id == actor.Id)?.Name ?? actorName;
        if (staff is null) return new(TeamOutcome.Invalid, "That person is not an active member of staff.");
        if (!staff.MayWork(task.CandidateRoles))
            return new(TeamOutcome.Invalid, "{0} cannot work this step: it needs the role {1}.", staff.Name, string.Join(", ", task.CandidateRoles));
        if (task.Assignee == staff.Id) return new(TeamOutcome.Invalid, "{0} already holds this step.", staff.Name);
        var kind = staff.Id == actor.Id ? TaskChangeKind.TakenOver : TaskChangeKind.Reassigned;
        var result = await runtime.ReassignAsync(taskId, actor, staff.Id, ct, (engineDb, _) =>
        {
            Record(engineDb, task, kind, actor, actorName, staff.Id, null, null, $"{task.ElementId} to {staff.Name}");
            if (kind == TaskChangeKind.Reassigned)
                engineDb.Add(StaffNotification.For(staff.Id, StaffNotificationKind.CaseHandedToYou, task.Reference, task.ComplaintId, Now, actorDisplayName));
            return Task.CompletedTask;
        });
        return await ResultAsync(result, taskId, actorName, ct);
    }

    /// <summary>The supervisor takes the task: they must hold one of its candidate roles to be able to work it.</summary>
    public async Task<TeamResult> TakeOverAsync(Guid taskId, WorkflowUser actor, string actorName, CancellationToken ct)
    {
        if (await FindAsync(taskId, ct) is not { } task) return await NotFoundAsync(taskId, actorName, ct);
        if (!task.CandidateRoles.Any(actor.Roles.Contains))
            return new(TeamOutcome.Invalid, "You cannot work this step yourself: it needs the role {0}. Hand it to someone who has it.", string.Join(", ", task.CandidateRoles));
        return await ReassignAsync(taskId, actor.Id, actor, actorName, ct);
    }

    /// <summary>Gives the task back to the pool of its candidate roles.</summary>
    public async Task<TeamResult> ReturnToPoolAsync(Guid taskId, WorkflowUser actor, string actorName, CancellationToken ct)
    {
        if (await FindAsync(taskId, ct) is not { } task) return await NotFoundAsync(taskId, actorName, ct);
        if (task.Assignee is null) return new(TeamOutcome.Invalid, "This step is already in the pool.");
        var result = await runtime.UnclaimAsync(taskId, actor, ct, (engineDb, _) =>
        {
            Record(engineDb, task, TaskChangeKind.ReturnedToPool, actor, actorName, null, null, null, $"{task.ElementId} from {task.Assignee}");
            return Task.CompletedTask;
        });
        return await ResultAsync(result, taskId, actorName, ct);
    }

    /// <summary>
    /// Moves the task's due date (in the future, with a reason); the engine re-arms its SLA timer. A complaint step that was
    /// marked overdue is no longer overdue.
    /// </summary>
    public async Task<TeamResult> ExtendAsync(Guid taskId, DateTime? dueAt, string? reason, WorkflowUser actor, string actorName, CancellationToken ct)
    {
        if (await FindAsync(taskId, ct) is not { } task) return await NotFoundAsync(taskId, actorName, ct);
        if (dueAt is null) return new(TeamOutcome.Invalid, "New due date is required.");
        var due = DateTime.SpecifyKind(dueAt.Value, DateTimeKind.Utc);
        if (due <= Now) return new(TeamOutcome.Invalid, "New due date must be in the future.");
        if (string.IsNullOrWhiteSpace(reason)) return new(TeamOutcome.Invalid, "Reason is required.");
        if (reason.Length > ReasonLength || !PlainText.IsClean(reason, multiLine: true))
            return new(TeamOutcome.Invalid, "Reason must be plain text of at most {0} characters.", ReasonLength);
        var why = reason.Trim();
        var result = await runtime.ChangeDueDateAsync(taskId, actor, due, why, ct, async (engineDb, token) =>
        {
            Record(engineDb, task, TaskChangeKind.DueDateExtended, actor, actorName, null, due, why, $"{task.ElementId} due {due:u}: {why}");
            if (task.ComplaintId is { } id && ComplaintProcess.FormKeys.HandlerSteps.Contains(task.FormKey)
                && await engineDb.Set<Complaint>().FirstOrDefaultAsync(c => c.Id == id, token) is { IsOverdue: true } complaint)
                complaint.GiveMoreTime();
            // The reviews queue sorts and marks overdue by the review's reply due date.
            if (task.ReviewId is { } reviewId && task.FormKey == ReviewProcess.FormKeys.Reply
                && await engineDb.Set<Domain.Reviews.Review>().FirstOrDefaultAsync(r => r.Id == reviewId, token) is { } review)
                review.MoveReplyDue(new DateTimeOffset(due, TimeSpan.Zero));
        });
        return await ResultAsync(result, taskId, actorName, ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private void Record(Microsoft.EntityFrameworkCore.DbContext engineDb, TeamTask task, TaskChangeKind kind, WorkflowUser actor, string actorName,
        string? toUserId, DateTime? dueAt, string? reason, string detail)
    {
        engineDb.Add(new TaskChange
        {
            Id = Guid.NewGuid(), Reference = task.Reference, TaskId = task.TaskId, ElementId = task.ElementId, Kind = kind,
            ToUserId = toUserId, DueAt = dueAt, Reason = reason, ByUserId = actor.Id, At = Now,
        });
        audit.Add(engineDb, kind switch
        {
            TaskChangeKind.DueDateExtended => AuditEvents.TaskDueDateExtended,
            TaskChangeKind.ReturnedToPool => AuditEvents.TaskReturnedToPool,
            _ => AuditEvents.TaskReassigned,
        }, actorName, detail, task.Reference);
    }

    private async Task<TeamResult> NotFoundAsync(Guid taskId, string actorName, CancellationToken ct)
    {
        // A task that exists but is not an open complaint or review step: a forged or stale post.
        if (await db.Set<WorkItem>().AsNoTracking().AnyAsync(w => w.Id == taskId && w.Status == WorkItemStatus.Open, ct))
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, actorName, $"team view: task {taskId} is not a complaint or review step", ct);
            return new(TeamOutcome.Forbidden, "You may not act on this step. The attempt has been recorded.");
        }
        return new(TeamOutcome.NotFound, "This step is no longer open.");
    }

    private async Task<TeamResult> ResultAsync(WorkflowResult result, Guid taskId, string actorName, CancellationToken ct)
    {
        switch (result.Outcome)
        {
            case WorkflowOutcome.Ok:
                return new(TeamOutcome.Done);
            case WorkflowOutcome.Forbidden:
                await audit.WriteAsync(AuditEvents.AccessDenied, actorName, $"team view: task {taskId}: {result.Message}", ct);
                return new(TeamOutcome.Forbidden, "You may not act on this step. The attempt has been recorded.");
            case WorkflowOutcome.Conflict:
                return new(TeamOutcome.Conflict, "Someone else changed this step at the same time; nothing was saved.");
            case WorkflowOutcome.NotFound:
                return new(TeamOutcome.NotFound, "This step is no longer open.");
            default:
                return new(TeamOutcome.Invalid, result.Message ?? "The step could not be changed.");
        }
    }
}
