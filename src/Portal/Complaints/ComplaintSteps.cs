using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Complaints;

public enum StepOutcome { Done, Replayed, Invalid, Forbidden, Conflict, NotFound }

/// <summary>What happened to a step submission. <see cref="Message"/> is in the UI language for a refusal by the domain; <see cref="ActedBy"/> is a display name when another user won.</summary>
public sealed record StepResult(StepOutcome Outcome, string? Message = null, string? ActedBy = null, DateTime? ActedAt = null)
{
    public bool Succeeded => Outcome is StepOutcome.Done or StepOutcome.Replayed;
}

/// <summary>
/// Completes a complaint's engine task and records the domain step in the same transaction. Every call re-checks
/// object-level access (the task belongs to this complaint and has the expected form; the user holds it or may take it)
/// and writes denials to the audit log.
/// </summary>
public sealed class ComplaintSteps(RemediationDbContext db, IWorkflowRuntime runtime, IAuditLog audit, IStringLocalizer<SharedResource> l)
{
    /// <summary>
    /// <paramref name="apply"/> runs twice: first on a detached copy (validation; it returns the process variables),
    /// then on the tracked complaint inside the engine's commit. It must be deterministic.
    /// </summary>
    public async Task<StepResult> CompleteAsync(Guid complaintId, Guid taskId, string commandId, WorkflowUser user, string userName,
        string formKey, Func<Complaint, IReadOnlyDictionary<string, object?>> apply, CancellationToken ct)
    {
        var access = await CheckAccessAsync(complaintId, taskId, user, userName, formKey, ct);
        if (access is not null) return access;

        var task = (await runtime.GetTaskAsync(taskId, ct))!;
        IReadOnlyDictionary<string, object?> variables = new Dictionary<string, object?>();
        if (task.Status == WorkItemStatus.Open)
        {
            var copy = await db.Set<Complaint>().AsNoTracking().AsSplitQuery().FirstAsync(c => c.Id == complaintId, ct);
            try
            {
                variables = apply(copy);
            }
            catch (DomainException e)
            {
                return await RefusedAsync(e, complaintId, userName);
            }
        }

        WorkflowResult result;
        try
        {
            result = await runtime.CompleteTaskAsync(new CompleteTask(taskId, user, variables, commandId), async (engineDb, token) =>
            {
                var tracked = await engineDb.Set<Complaint>().AsSplitQuery().FirstAsync(c => c.Id == complaintId, token);
                apply(tracked);
            }, ct);
        }
        catch (DomainException e)
        {
            // Checked again at commit: another command may have changed the complaint since the dry run.
            return await RefusedAsync(e, complaintId, userName);
        }
        return result.Outcome switch
        {
            WorkflowOutcome.Ok => new(result.Replayed ? StepOutcome.Replayed : StepOutcome.Done),
            WorkflowOutcome.Conflict => new(StepOutcome.Conflict, result.Message, await DisplayNameAsync(result.Conflict?.ActedBy, ct), result.Conflict?.ActedAt),
            WorkflowOutcome.Forbidden => await DenyAsync(userName, $"complaint {complaintId} task {taskId}: {result.Message}"),
            WorkflowOutcome.NotFound => new(StepOutcome.NotFound, result.Message),
            _ => new(StepOutcome.Invalid, result.Message),
        };
    }

    /// <summary>Null when the user may act on the task of this complaint; otherwise the refusal (audited).</summary>
    public async Task<StepResult?> CheckAccessAsync(Guid complaintId, Guid taskId, WorkflowUser user, string userName, string? formKey, CancellationToken ct)
    {
        var reference = await db.Set<Complaint>().AsNoTracking().Where(c => c.Id == complaintId).Select(c => c.Reference).FirstOrDefaultAsync(ct);
        var task = await runtime.GetTaskAsync(taskId, ct);
        if (reference is null || task is null) return new(StepOutcome.NotFound, "The complaint or the task does not exist.");
        if (task.BusinessKey != reference.ToString() || formKey is not null && task.FormKey != formKey)
            return await DenyAsync(userName, $"task {taskId} ({task.FormKey}) does not belong to complaint {reference} as {formKey}");
        if (task.Status != WorkItemStatus.Open) return null; // the engine answers: replay, or "already completed by …"
        if (!task.CandidateRoles.Any(user.Roles.Contains))
            return await DenyAsync(userName, $"task {taskId} of complaint {reference} is for {string.Join(",", task.CandidateRoles)}");
        if (task.Assignee is not null && task.Assignee != user.Id)
            return await DenyAsync(userName, $"task {taskId} of complaint {reference} is assigned to {task.Assignee}");
        return null;
    }

    public async Task<string?> DisplayNameAsync(string? userId, CancellationToken ct) =>
        userId is null ? null : (await DisplayNamesAsync([userId], ct)).GetValueOrDefault(userId, userId);

    /// <summary>Display names by user id (the display name, else the user name), in one query; unknown ids are left out.</summary>
    public async Task<Dictionary<string, string>> DisplayNamesAsync(IEnumerable<string?> userIds, CancellationToken ct)
    {
        var distinct = userIds.OfType<string>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => distinct.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct);
        return users.ToDictionary(u => u.Id, u => DisplayName(u.Id, u.DisplayName, u.UserName));
    }

    /// <summary>How staff are named on pages: the display name, else the user name, else the id.</summary>
    public static string DisplayName(string userId, string? displayName, string? userName) =>
        string.IsNullOrEmpty(displayName) ? userName ?? userId : displayName;

    private async Task<StepResult> DenyAsync(string userName, string detail)
    {
        await audit.WriteAsync(AuditEvents.AccessDenied, userName, detail);
        return new(StepOutcome.Forbidden, "You may not act on this step.");
    }

    private async Task<StepResult> RefusedAsync(DomainException e, Guid complaintId, string userName)
    {
        if (e.Rule == DomainRules.ApproverIsProposer)
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, userName, $"complaint {complaintId}: {e.Message}");
            return new(StepOutcome.Forbidden, l.Translate(e));
        }
        return new(StepOutcome.Invalid, l.Translate(e));
    }
}
