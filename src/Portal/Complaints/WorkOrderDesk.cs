using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Complaints;

/// <summary>
/// An open work order (客服工单). <see cref="InProcess"/>: the running procedure holds a <c>Task_WorkOrder</c> for it
/// (third rejection), so it is resolved on the case page through the engine, not here.
/// </summary>
public sealed record WorkOrderRow(Guid ComplaintId, string Reference, string CustomerName, string CustomerPhone, WorkOrderTrigger Trigger,
    string Reason, string RaisedBy, DateTimeOffset RaisedAt, bool InProcess);

public sealed record WorkOrderPage(IReadOnlyList<WorkOrderRow> Items, bool HasMore);

/// <summary>
/// The work-order resolution form (on /WorkOrders and the case page): the remedy given, the contact with the customer and an
/// optional follow-up. Times are entered in the portal's local time (as pages show them).
/// </summary>
public sealed class WorkOrderResolutionInput
{
    public string? RemedyGiven { get; set; }
    public ContactChannel ContactChannel { get; set; } = ContactChannel.Phone;
    public DateTime? ContactedAt { get; set; }
    public string? ContactSummary { get; set; }
    public bool FollowUp { get; set; }
    public DateTime? FollowUpAt { get; set; }

    /// <summary>The domain's resolution; a <see cref="DomainException"/> names the field that is missing or wrong.</summary>
    public WorkOrderResolution ToResolution()
    {
        if (FollowUp && FollowUpAt is null)
            throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(DomainFields.FollowUpAt));
        return new(RemedyGiven, ContactChannel, Local(ContactedAt), ContactSummary, FollowUp ? Local(FollowUpAt) : null);
    }

    private static DateTimeOffset? Local(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Local)).ToUniversalTime() : null;
}

/// <summary>The resolution partial's model: the input's name prefix, a suffix making the ids unique on the page, the values.</summary>
public sealed record WorkOrderResolutionForm(string Prefix, string IdSuffix, WorkOrderResolutionInput Input);

public enum ResolveOutcome { Resolved, Invalid, AlreadyResolved, InProcess, Conflict, NotFound }

/// <summary>What happened to a resolution. <see cref="ResolvedBy"/> is a display name when someone else was first.</summary>
public sealed record ResolveResult(ResolveOutcome Outcome, DomainException? Refusal = null, string? ResolvedBy = null, DateTimeOffset? ResolvedAt = null);

/// <summary>
/// The supervisors' desk for work orders: lists the open ones (both kinds, oldest first) and resolves a work order
/// written by "hand to supervisor" (its procedure was cancelled, so no engine task exists for it).
/// </summary>
public sealed class WorkOrderDesk(RemediationDbContext db, IWorkflowRuntime runtime, ComplaintSteps steps, IAuditLog audit, TimeProvider clock)
{
    public async Task<WorkOrderPage> ListOpenAsync(int page, int pageSize, CancellationToken ct)
    {
        page = Math.Max(1, page);
        // From WorkOrders (indexed on ResolvedAt, CreatedAt) to its complaint; no aggregate is loaded.
        var rows = await db.Set<Complaint>().AsNoTracking()
            .Where(c => c.WorkOrder != null && c.WorkOrder.ResolvedAt == null)
            .OrderBy(c => c.WorkOrder!.CreatedAt).ThenBy(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize + 1)
            .Select(c => new
            {
                c.Id, c.Reference, c.WorkOrder!.CustomerName, c.WorkOrder.CustomerPhone, c.WorkOrder.Trigger, c.WorkOrder.Reason,
                c.WorkOrder.HandedUpBy, c.WorkOrder.CreatedAt,
            })
            .ToListAsync(ct);
        var shown = rows.Take(pageSize).ToList();
        var references = shown.Select(r => r.Reference.ToString()).ToList();
        var inProcess = (await db.Set<WorkItem>().AsNoTracking()
            .Where(w => w.BusinessKey != null && references.Contains(w.BusinessKey) && w.Status == WorkItemStatus.Open && w.FormKey == ComplaintProcess.FormKeys.WorkOrder)
            .Select(w => w.BusinessKey!).ToListAsync(ct)).ToHashSet();
        var names = await steps.DisplayNamesAsync(shown.Select(r => r.HandedUpBy), ct);
        var items = shown.Select(r => new WorkOrderRow(r.Id, r.Reference.ToString(), r.CustomerName, r.CustomerPhone.Value, r.Trigger, r.Reason,
            names.GetValueOrDefault(r.HandedUpBy, r.HandedUpBy), r.CreatedAt, inProcess.Contains(r.Reference.ToString()))).ToList();
        return new WorkOrderPage(items, rows.Count > pageSize);
    }

    /// <summary>
    /// Resolves the complaint's work order with the supervisor's note and closes the complaint (<see cref="Complaint.ResolveWorkOrder"/>),
    /// guarded by the complaint's version: of two supervisors resolving at once, the second gets <see cref="ResolveOutcome.AlreadyResolved"/>.
    /// Audited as <see cref="AuditEvents.WorkOrderResolved"/>.
    /// </summary>
    public async Task<ResolveResult> ResolveAsync(Guid complaintId, WorkOrderResolutionInput input, string userId, string userName, CancellationToken ct)
    {
        var complaint = await db.Set<Complaint>().AsSplitQuery().FirstOrDefaultAsync(c => c.Id == complaintId, ct);
        if (complaint?.WorkOrder is null) return new(ResolveOutcome.NotFound);
        if (complaint.WorkOrder.ResolvedAt is not null) return await AlreadyResolvedAsync(complaint.WorkOrder, ct);
        var reference = complaint.Reference.ToString();
        if (await db.Set<WorkItem>().AnyAsync(w => w.BusinessKey == reference && w.Status == WorkItemStatus.Open && w.FormKey == ComplaintProcess.FormKeys.WorkOrder, ct))
            return new(ResolveOutcome.InProcess);
        try
        {
            complaint.ResolveWorkOrder(userId, input.ToResolution(), clock.GetUtcNow());
            // Saved with the resolution or not at all: a supervisor who lost the race leaves no entry.
            audit.Add(db, AuditEvents.WorkOrderResolved, userName, AuditDetail(complaint.WorkOrder), reference);
            await db.SaveChangesAsync(ct);
        }
        catch (DomainException e)
        {
            return new(ResolveOutcome.Invalid, e);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Set<Complaint>().AsNoTracking().Where(c => c.Id == complaintId).Select(c => c.WorkOrder).FirstOrDefaultAsync(ct);
            return current?.ResolvedAt is not null ? await AlreadyResolvedAsync(current, ct) : new(ResolveOutcome.Conflict);
        }

        // Normally the procedure was cancelled at hand-up; if that cancel failed, end it now so no step stays open on a closed case.
        var running = await db.Set<WorkflowInstance>().AsNoTracking()
            .Where(i => i.BusinessKey == reference && i.ProcessId == ComplaintProcess.ProcessId && i.Status == InstanceStatus.Running)
            .Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
        if (running is { } id) await runtime.CancelAsync(id, $"Work order resolved: {complaint.WorkOrder.Resolution}", userId, ct);
        return new(ResolveOutcome.Resolved);
    }

    /// <summary>The audit entry's text of a resolution: remedy, contact and follow-up.</summary>
    public static string AuditDetail(WorkOrder order) =>
        $"{order.Resolution} | contact {order.ContactChannel} {order.ContactedAt:u}: {order.ContactSummary} | follow-up {(order.FollowUpAt is { } f ? f.ToString("u") : "none")}";

    private async Task<ResolveResult> AlreadyResolvedAsync(WorkOrder order, CancellationToken ct) =>
        new(ResolveOutcome.AlreadyResolved, ResolvedBy: await steps.DisplayNameAsync(order.ResolvedBy, ct), ResolvedAt: order.ResolvedAt);
}
