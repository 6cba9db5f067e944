using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Reviews;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Reviews;

/// <summary>
/// Completes a review's engine task and records the domain change in the same transaction (the engine's
/// <see cref="OnComplete"/> hook loads the review once, checks it owns the task with the posted form, applies the
/// change and returns the process variables). Refusals that are about who may act are audited after the check.
/// Also the actions outside the process: close manually, record the author's edit, open a complaint from the review.
/// </summary>
public sealed class ReviewSteps(RemediationDbContext db, IWorkflowRuntime runtime, IAuditLog audit, ComplaintSteps complaintSteps,
    ComplaintIntake complaintIntake, IStringLocalizer<SharedResource> l)
{
    /// <summary>Rules that are about who may act: a refusal by one of them is a denial and is audited.</summary>
    private static readonly string[] AccessRules = [ReviewRules.ApproverIsProposer, ReviewRules.ApprovedTwice, ReviewRules.WrongApprovalRole];

    public async Task<StepResult> CompleteAsync(Guid reviewId, Guid taskId, string commandId, WorkflowUser user, string userName, string formKey,
        Func<Review, IReadOnlyDictionary<string, object?>> apply, CancellationToken ct, params StepAudit[] audits)
    {
        WorkflowResult result;
        try
        {
            result = await runtime.CompleteTaskAsync(new CompleteTask(taskId, user, null, commandId), async (engineDb, task, token) =>
            {
                var review = await engineDb.Set<Review>().AsSplitQuery().FirstOrDefaultAsync(r => r.Id == reviewId, token);
                if (review is null || task.BusinessKey != review.Key || task.FormKey != formKey)
                    throw new WrongTaskException($"task {taskId} ({task.FormKey}) does not belong to review {reviewId} as {formKey}");
                var variables = apply(review);
                foreach (var entry in audits) audit.Add(engineDb, entry.Event, userName, entry.Detail, review.Key);
                return variables;
            }, ct);
        }
        catch (DomainException e) when (AccessRules.Contains(e.Rule))
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, userName, $"review {reviewId} ({formKey}): {e.Message}");
            return new(StepOutcome.Forbidden, l.Translate(e));
        }
        catch (DomainException e) when (e.Rule == ReviewRules.IncentiveRefused)
        {
            // The user may work this step (the engine and the review checked that); the text was refused, and that is recorded.
            await audit.WriteAsync(AuditEvents.IncentiveRefused, userName, $"review {reviewId} ({formKey}): {e.Message}");
            return new(StepOutcome.Invalid, l.Translate(e));
        }
        catch (DomainException e)
        {
            return new(StepOutcome.Invalid, l.Translate(e));
        }
        catch (WrongTaskException e)
        {
            return await DenyAsync(userName, e.Message);
        }
        return result.Outcome switch
        {
            WorkflowOutcome.Ok => new(result.Replayed ? StepOutcome.Replayed : StepOutcome.Done),
            WorkflowOutcome.Conflict => new(StepOutcome.Conflict, result.Message,
                await complaintSteps.DisplayNameAsync(result.Conflict?.ActedBy, ct), result.Conflict?.ActedAt),
            WorkflowOutcome.Forbidden => await ForbiddenAsync(reviewId, taskId, user, userName, formKey, result, ct),
            WorkflowOutcome.NotFound => new(StepOutcome.NotFound, result.Message),
            _ => new(StepOutcome.Invalid, result.Message),
        };
    }

    /// <summary>The message for a step result, in the UI language.</summary>
    public string Message(StepResult result, string done) => result.Outcome switch
    {
        StepOutcome.Done or StepOutcome.Replayed => l[done].Value,
        StepOutcome.Conflict => complaintSteps.ConflictMessage(result),
        StepOutcome.Forbidden => l[result.Message ?? "You may not act on this step. The attempt has been recorded."].Value,
        _ => l[result.Message ?? "The step could not be saved."].Value,
    };

    /// <summary>The engine refused: someone else holds the task (a lost race), or the user may not act on it (a denial, audited).</summary>
    private async Task<StepResult> ForbiddenAsync(Guid reviewId, Guid taskId, WorkflowUser user, string userName, string formKey, WorkflowResult result, CancellationToken ct)
    {
        var task = await runtime.GetTaskAsync(taskId, ct);
        if (task is not null && task.BusinessKey == Review.KeyOf(reviewId) && task.FormKey == formKey && task.IsCandidate(user)
            && task.Assignee is { } holder && holder != user.Id)
            return new(StepOutcome.Conflict, null, await complaintSteps.DisplayNameAsync(holder, ct), null, Taken: true);
        return await DenyAsync(userName, $"review {reviewId} task {taskId}: {result.Message}");
    }

    private async Task<StepResult> DenyAsync(string userName, string detail)
    {
        await audit.WriteAsync(AuditEvents.AccessDenied, userName, detail);
        return new(StepOutcome.Forbidden, "You may not act on this step.");
    }

    private sealed class WrongTaskException(string detail) : Exception(detail);

    /// <summary>
    /// Closes the review with a reason and cancels its process. The review is saved closed first (with its audit entry);
    /// a failed cancel leaves a process whose steps the closed review refuses.
    /// </summary>
    public async Task<string?> CloseManuallyAsync(Guid reviewId, string? reason, WorkflowUser user, string userName, DateTimeOffset now, CancellationToken ct)
    {
        if (!user.Roles.Contains(Roles.Handler) && !user.Roles.Contains(Roles.Supervisor))
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, userName, $"review {reviewId}: close");
            return l["You may not act on this step."].Value;
        }
        var review = await db.Set<Review>().FirstOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null) return l["The review does not exist."].Value;
        try { review.CloseManually(reason!, user.Id, now); }
        catch (DomainException e) { return l.Translate(e); }
        audit.Add(db, AuditEvents.ReviewClosedManually, userName, review.CloseReason, review.Key);
        await db.SaveChangesAsync(ct);
        foreach (var instance in await RunningInstancesAsync(review.Key, ct))
            await runtime.CancelAsync(instance, "Review closed manually: " + review.CloseReason, user.Id, ct);
        return null;
    }

    /// <summary>Records that the author changed the review on the platform (never something staff ask for).</summary>
    public async Task<string?> RecordAuthorEditAsync(Guid reviewId, int rating, string? text, WorkflowUser user, string userName, DateTimeOffset now, CancellationToken ct)
    {
        if (!user.Roles.Contains(Roles.Handler))
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, userName, $"review {reviewId}: record author edit");
            return l["You may not act on this step."].Value;
        }
        var review = await db.Set<Review>().FirstOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null) return l["The review does not exist."].Value;
        try { review.RecordAuthorEdit(rating, text!, now); }
        catch (DomainException e) { return l.Translate(e); }
        audit.Add(db, AuditEvents.ReviewEditRecorded, userName,
            $"rating {review.PreviousRating} → {review.Rating}{(review.FlaggedForAudit ? "; after a compensation: flagged for audit" : "")}", review.Key);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Opens a complaint from the review, its text as the customer's account; returns the complaint's id or an error.</summary>
    public async Task<(Guid? ComplaintId, string? Error)> OpenComplaintAsync(Guid reviewId, WorkflowUser user, string userName, CancellationToken ct)
    {
        if (!user.Roles.Contains(Roles.Handler))
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, userName, $"review {reviewId}: open complaint");
            return (null, l["You may not act on this step."].Value);
        }
        var review = await db.Set<Review>().FirstOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null) return (null, l["The review does not exist."].Value);
        if (review.ComplaintId is { } existing) return (existing, null);
        var customer = review.CustomerId is { } id ? await db.Set<Domain.Customers.Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        if (customer is null) return (null, l["A complaint needs the customer's phone number; this review has no matched customer."].Value);
        var intake = await complaintIntake.ReceiveAsync(new IntakeRequest
        {
            ContactName = customer.Name, Phone = customer.Phone.Value, Email = customer.Email, OrderReference = review.OrderReference,
            Channel = ComplaintChannel.SocialReview, Category = ComplaintCategory.NegativeReview, Account = review.Text,
            Goods = $"{review.Platform} {review.ExternalId}",
        }, user.Id, allowDuplicate: true, ct);
        if (intake.Outcome != IntakeOutcome.Created) return (null, string.Join(" ", intake.Errors?.Select(e => l[e.Message, e.Arguments].Value) ?? []));
        review.LinkComplaint(intake.ComplaintId!.Value);
        await db.SaveChangesAsync(ct);
        return (intake.ComplaintId, null);
    }

    public Task<List<Guid>> RunningInstancesAsync(string key, CancellationToken ct) =>
        db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.BusinessKey == key && i.Status == InstanceStatus.Running).Select(i => i.Id).ToListAsync(ct);
}
