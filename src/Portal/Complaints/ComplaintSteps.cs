using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using Remediation.Portal.Inbox;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Complaints;

public enum StepOutcome { Done, Replayed, Invalid, Forbidden, Conflict, NotFound }

/// <summary>
/// What happened to a step submission. <see cref="Message"/> is in the UI language for a refusal by the domain;
/// <see cref="ActedBy"/> is a display name when another user won (<see cref="Taken"/>: took the step, else completed it).
/// </summary>
public sealed record StepResult(StepOutcome Outcome, string? Message = null, string? ActedBy = null, DateTime? ActedAt = null, bool Taken = false)
{
    public bool Succeeded => Outcome is StepOutcome.Done or StepOutcome.Replayed;
}

/// <summary>An audit entry written in the same transaction as the step it records.</summary>
public sealed record StepAudit(string Event, string Detail);

/// <summary>
/// Completes a complaint's engine task and records the domain step in the same transaction. Every call re-checks
/// object-level access (the task belongs to this complaint and has the expected form; the user holds it or may take it)
/// and writes real denials to the audit log. A lost race is never a denial: whoever was second is told who completed
/// (or took) the step and when.
/// </summary>
public sealed class ComplaintSteps(RemediationDbContext db, IWorkflowRuntime runtime, IAuditLog audit, IStringLocalizer<SharedResource> l)
{
    /// <summary>
    /// One engine command: the engine loads the open task and checks the user may complete it; then, inside the command,
    /// the complaint is loaded once (tracked), checked to own the task with the expected form, and changed by
    /// <paramref name="apply"/>, which returns the process variables; both are committed together. <paramref name="audits"/>
    /// are written in that commit, so they exist exactly when the step was recorded. Refusals and lost races are sorted
    /// out only when the command did not succeed.
    /// </summary>
    public async Task<StepResult> CompleteAsync(Guid complaintId, Guid taskId, string commandId, WorkflowUser user, string userName,
        string formKey, Func<Complaint, IReadOnlyDictionary<string, object?>> apply, CancellationToken ct, params StepAudit[] audits)
    {
        WorkflowResult result;
        // An approver's rejection goes to the proposer's inbox, saved with the decision.
        var approver = formKey == ComplaintProcess.FormKeys.Approve ? await DisplayNameAsync(user.Id, ct) : null;
        (string UserId, string Reference)? proposer = null;
        try
        {
            result = await runtime.CompleteTaskAsync(new CompleteTask(taskId, user, null, commandId), async (engineDb, task, token) =>
            {
                var complaint = await engineDb.Set<Complaint>().AsSplitQuery().FirstOrDefaultAsync(c => c.Id == complaintId, token);
                var reference = complaint?.Reference.ToString();
                if (complaint is null || task.BusinessKey != reference || task.FormKey != formKey)
                    throw new WrongTaskException($"task {taskId} ({task.FormKey}) does not belong to complaint {reference ?? complaintId.ToString()} as {formKey}");
                var variables = apply(complaint);
                foreach (var entry in audits) audit.Add(engineDb, entry.Event, userName, entry.Detail, reference);
                proposer = null;
                if (approver is not null && complaint.CurrentProposal is { ApprovalState: ApprovalState.Rejected, Approval: { } rejection } rejected)
                {
                    proposer = (rejected.ProposedBy, reference!);
                    engineDb.Add(StaffNotification.For(rejected.ProposedBy, StaffNotificationKind.ProposalRejected, reference!, complaint.Id,
                        rejection.DecidedAt.UtcDateTime, approver, rejection.Reason));
                }
                return variables;
            }, ct);
        }
        catch (DomainException e)
        {
            return await RefusedAsync(e, complaintId, taskId, user, userName, formKey, ct);
        }
        catch (WrongTaskException e)
        {
            return await DenyAsync(userName, e.Message);
        }
        if (result.IsOk && !result.Replayed && proposer is { } back) await GiveBackToProposerAsync(back.UserId, back.Reference, ct);
        return result.Outcome switch
        {
            WorkflowOutcome.Ok => new(result.Replayed ? StepOutcome.Replayed : StepOutcome.Done),
            // Closed meanwhile: the engine names who completed it, once the task is known to be this complaint's.
            WorkflowOutcome.Conflict => await CheckAccessAsync(complaintId, taskId, user, userName, formKey, ct) ?? await ConflictAsync(result, ct),
            // Not for the user's roles, or held by someone else: checking tells a lost race from a denial.
            WorkflowOutcome.Forbidden => await CheckAccessAsync(complaintId, taskId, user, userName, formKey, ct)
                ?? await DenyAsync(userName, $"complaint {complaintId} task {taskId}: {result.Message}"),
            WorkflowOutcome.NotFound => new(StepOutcome.NotFound, result.Message),
            _ => new(StepOutcome.Invalid, result.Message),
        };
    }

    /// <summary>
    /// A rejected proposal goes back to the handler who made it: the Propose step the rejection opened is taken on their
    /// behalf (a separate command after the decision; if someone took it meanwhile, it stays with them).
    /// </summary>
    private async Task GiveBackToProposerAsync(string proposerId, string reference, CancellationToken ct)
    {
        // Through the complaint's instances and (InstanceId, Status), never the open items' due-date index (CaseQueries).
        var propose = await db.Set<WorkItem>().AsNoTracking()
            .Where(w => db.Set<WorkflowInstance>().Where(i => i.BusinessKey == reference).Select(i => i.Id).Contains(w.InstanceId)
                && w.Status == WorkItemStatus.Open && w.FormKey == ComplaintProcess.FormKeys.Propose && w.Assignee == null)
            .Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);
        if (propose is { } taskId) await runtime.ClaimAsync(taskId, new WorkflowUser(proposerId, [Roles.Handler]), ct);
    }

    /// <summary>The posted task is not this complaint's step with the posted form (a forged or stale post).</summary>
    private sealed class WrongTaskException(string detail) : Exception(detail);

    /// <summary>Takes an open task of the complaint for the user; a task someone else holds or completed is a conflict, never a denial.</summary>
    public async Task<StepResult> ClaimAsync(Guid complaintId, Guid taskId, WorkflowUser user, string userName, CancellationToken ct)
    {
        if (await CheckAccessAsync(complaintId, taskId, user, userName, null, ct) is { } refused) return refused;
        var result = await runtime.ClaimAsync(taskId, user, ct);
        return result.Outcome switch
        {
            WorkflowOutcome.Ok => new(StepOutcome.Done),
            // The engine names the last actor of the instance; the task itself tells whether it was taken or completed.
            WorkflowOutcome.Conflict => await TakenAsync(taskId, ct),
            WorkflowOutcome.Forbidden => await CheckAccessAsync(complaintId, taskId, user, userName, null, ct)
                ?? await DenyAsync(userName, $"complaint {complaintId} task {taskId}: {result.Message}"),
            WorkflowOutcome.NotFound => new(StepOutcome.NotFound, result.Message),
            _ => new(StepOutcome.Invalid, result.Message),
        };
    }

    /// <summary>Null when the user may act on the task of this complaint; otherwise the refusal (a real denial is audited).</summary>
    public async Task<StepResult?> CheckAccessAsync(Guid complaintId, Guid taskId, WorkflowUser user, string userName, string? formKey, CancellationToken ct)
    {
        var reference = (await db.Set<Complaint>().AsNoTracking().Where(c => c.Id == complaintId).Select(c => c.Reference).FirstOrDefaultAsync(ct))?.ToString();
        var task = await runtime.GetTaskAsync(taskId, ct);
        if (reference is null || task is null) return new(StepOutcome.NotFound, "The complaint or the task does not exist.");
        if (task.BusinessKey != reference || formKey is not null && task.FormKey != formKey)
            return await DenyAsync(userName, $"task {taskId} ({task.FormKey}) does not belong to complaint {reference} as {formKey}");
        if (!task.IsCandidate(user))
            return await DenyAsync(userName, $"task {taskId} of complaint {reference} is for {string.Join(",", task.CandidateRoles)}");
        // A closed task: the engine answers (a replay, or "already completed by …").
        if (task.Status != WorkItemStatus.Open) return null;
        // Someone who may take the step was simply second: not a denial.
        if (task.Assignee is not null && task.Assignee != user.Id) return await TakenAsync(taskId, ct);
        return null;
    }

    /// <summary>The message telling a loser who won: "already completed by X at T" or "already taken by X at T".</summary>
    public string ConflictMessage(StepResult result) =>
        result.ActedBy is null
            ? l[result.Message ?? "Someone else changed this complaint at the same time; nothing was saved."].Value
            : result.Taken
                ? l["This step was already taken by {0} at {1}.", result.ActedBy, FormatTime(result.ActedAt)].Value
                : l["This step was already completed by {0} at {1}.", result.ActedBy, FormatTime(result.ActedAt)].Value;

    private static string FormatTime(DateTime? at) =>
        at is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToLocalTime().ToString("g", CultureInfo.CurrentCulture) : "";

    private async Task<StepResult> ConflictAsync(WorkflowResult result, CancellationToken ct) =>
        new(StepOutcome.Conflict, result.Message, await DisplayNameAsync(result.Conflict?.ActedBy, ct), result.Conflict?.ActedAt);

    /// <summary>Who holds the task and since when (the journal's latest claim or hand-over of it).</summary>
    private async Task<StepResult> TakenAsync(Guid taskId, CancellationToken ct)
    {
        var task = await db.Set<WorkItem>().AsNoTracking().Where(w => w.Id == taskId)
            .Select(w => new { w.Assignee, w.InstanceId, w.ElementId, w.Status, w.CompletedBy, w.CompletedAt }).FirstAsync(ct);
        if (task.Status != WorkItemStatus.Open)
            return new(StepOutcome.Conflict, null, await DisplayNameAsync(task.CompletedBy, ct), task.CompletedAt);
        var since = await db.Set<JournalEntry>().AsNoTracking()
            .Where(j => j.InstanceId == task.InstanceId && j.ElementId == task.ElementId && (j.Kind == JournalKind.Claimed || j.Kind == JournalKind.Reassigned))
            .OrderByDescending(j => j.Id).Select(j => (DateTime?)j.At).FirstOrDefaultAsync(ct);
        return new(StepOutcome.Conflict, null, await DisplayNameAsync(task.Assignee, ct), since, Taken: true);
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

    /// <summary>
    /// A domain refusal. If the task was completed or taken meanwhile, the refusal ("this needs step …") only says that
    /// another user was first, so the loser is told who and when instead.
    /// </summary>
    private async Task<StepResult> RefusedAsync(DomainException e, Guid complaintId, Guid taskId, WorkflowUser user, string userName, string formKey, CancellationToken ct)
    {
        var now = await runtime.GetTaskAsync(taskId, ct);
        if (now is not null && (now.Status != WorkItemStatus.Open || now.Assignee is not null && now.Assignee != user.Id))
            return await TakenAsync(taskId, ct);
        if (e.Rule == DomainRules.ApproverIsProposer)
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, userName, $"complaint {complaintId} ({formKey}): {e.Message}");
            return new(StepOutcome.Forbidden, l.Translate(e));
        }
        return new(StepOutcome.Invalid, l.Translate(e));
    }
}
