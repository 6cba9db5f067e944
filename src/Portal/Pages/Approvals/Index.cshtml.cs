using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Pages.Approvals;

/// <summary>
/// Compensation beyond a handler's authority, waiting for sign-off. An approver can never decide their own
/// proposal: checked on the detached copy and again at commit (by user id); each refusal is audited.
/// </summary>
[Authorize(Roles = Roles.Approver)]
public sealed class IndexModel(ComplaintQueue queue, ComplaintSteps steps, RemediationDbContext db, TimeProvider clock,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record Item(QueueRow Task, RemedyProposal? Proposal, string? ProposedBy);

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<Item> Items { get; private set; } = [];
    public bool HasMore { get; private set; }
    public string? Flash { get; private set; }
    public string UserId { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Flash = TempData["Flash"] as string;
        var user = User.ToWorkflowUser();
        UserId = user.Id;
        var page = await queue.ListAsync(user, new QueueFilter(FormKey: ComplaintProcess.FormKeys.Approve), PageNumber, 25, ct);
        HasMore = page.HasMore;
        var ids = page.Items.Select(r => r.ComplaintId).ToList();
        // One query for the pending proposals of the listed complaints (no aggregate loading).
        var proposals = await db.Set<Complaint>().AsNoTracking().Where(c => ids.Contains(c.Id))
            .SelectMany(c => c.Proposals.Where(p => p.ApprovalState == ApprovalState.Pending), (c, p) => new { c.Id, Proposal = p })
            .ToListAsync(ct);
        var proposers = proposals.Select(p => p.Proposal.ProposedBy).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => proposers.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        Items = page.Items.Select(r =>
        {
            var proposal = proposals.Where(p => p.Id == r.ComplaintId).Select(p => p.Proposal).MaxBy(p => p.Number);
            return new Item(r, proposal, proposal is null ? null : names.GetValueOrDefault(proposal.ProposedBy, proposal.ProposedBy));
        }).ToList();
    }

    public Task<IActionResult> OnPostApproveAsync(Guid complaintId, Guid taskId, string commandId, string? reason, CancellationToken ct) =>
        DecideAsync(complaintId, taskId, commandId, true, reason, ct);

    public Task<IActionResult> OnPostRejectAsync(Guid complaintId, Guid taskId, string commandId, string? reason, CancellationToken ct) =>
        DecideAsync(complaintId, taskId, commandId, false, reason, ct);

    private async Task<IActionResult> DecideAsync(Guid complaintId, Guid taskId, string commandId, bool approved, string? reason, CancellationToken ct)
    {
        var user = User.ToWorkflowUser();
        var now = clock.GetUtcNow();
        var result = await steps.CompleteAsync(complaintId, taskId, commandId, user, User.Identity!.Name!, ComplaintProcess.FormKeys.Approve, c =>
        {
            c.RecordApproval(approved ? CompensationApproval.Approve(user.Id, now, reason) : CompensationApproval.Reject(user.Id, reason!, now));
            return new Dictionary<string, object?> { ["approved"] = approved, ["approvalReason"] = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() };
        }, ct);
        TempData["Flash"] = result.Outcome switch
        {
            StepOutcome.Done or StepOutcome.Replayed => approved ? l["The proposal was approved."].Value : l["The proposal was rejected and goes back to the handler."].Value,
            StepOutcome.Conflict => steps.ConflictMessage(result),
            StepOutcome.Forbidden => l[result.Message ?? "You may not act on this step. The attempt has been recorded."].Value,
            _ => l[result.Message ?? "The step could not be saved."].Value,
        };
        return RedirectToPage(new { p = PageNumber });
    }
}
