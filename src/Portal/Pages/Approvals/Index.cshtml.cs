using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Reviews;
using Remediation.Workflows;

namespace Remediation.Portal.Pages.Approvals;

/// <summary>
/// Compensation beyond a handler's authority, waiting for sign-off. An approver can never decide their own
/// proposal: checked on the detached copy and again at commit (by user id); each refusal is audited.
/// </summary>
[Authorize(Roles = Roles.Approver + "," + Roles.Supervisor)]
public sealed class IndexModel(ComplaintQueue queue, ComplaintSteps steps, ReviewSteps reviewSteps, ApprovalDesk desk, RemediationDbContext db,
    TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record Item(QueueRow Task, RemedyProposal? Proposal, string? ProposedBy, CustomerRecord? History, Consistency? Consistency);

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<Item> Items { get; private set; } = [];
    /// <summary>Review offers at a level of the approval matrix the user's roles may decide.</summary>
    public IReadOnlyList<PendingReviewOffer> Offers { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
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
        var names = await steps.DisplayNamesAsync(proposers, ct);
        var customers = await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CustomerId, ct);
        var items = new List<Item>();
        foreach (var r in page.Items)
        {
            var proposal = proposals.Where(p => p.Id == r.ComplaintId).Select(p => p.Proposal).MaxBy(p => p.Number);
            items.Add(new Item(r, proposal, proposal is null ? null : names.GetValueOrDefault(proposal.ProposedBy, proposal.ProposedBy),
                customers.TryGetValue(r.ComplaintId, out var customerId) ? await desk.HistoryAsync(customerId, null, ct) : null,
                proposal is null ? null : await desk.ForComplaintAsync(r.ComplaintId, proposal, ct)));
        }
        Items = items;

        Offers = await desk.PendingReviewOffersAsync(user, ct);
        var people = Offers.SelectMany(o => o.Offer.Approvals.Select(a => a.DecidedBy).Append(o.Offer.ProposedBy)).Distinct().ToList();
        Names = await steps.DisplayNamesAsync(people, ct);
    }

    public string NameOf(string userId) => Names.GetValueOrDefault(userId, userId);

    public Task<IActionResult> OnPostApproveOfferAsync(Guid reviewId, Guid taskId, string commandId, string? comment, CancellationToken ct) =>
        DecideOfferAsync(reviewId, taskId, commandId, true, comment, ct);

    public Task<IActionResult> OnPostRejectOfferAsync(Guid reviewId, Guid taskId, string commandId, string? comment, CancellationToken ct) =>
        DecideOfferAsync(reviewId, taskId, commandId, false, comment, ct);

    /// <summary>One level of a review offer's chain; the domain refuses the proposer, a second decision by the same person and the wrong role (audited).</summary>
    private async Task<IActionResult> DecideOfferAsync(Guid reviewId, Guid taskId, string commandId, bool approve, string? comment, CancellationToken ct)
    {
        var user = User.ToWorkflowUser();
        var now = clock.GetUtcNow();
        var result = await reviewSteps.CompleteAsync(reviewId, taskId, commandId, user, User.Identity!.Name!, ReviewProcess.FormKeys.Approve, review =>
        {
            if (!approve)
            {
                review.RejectOffer(user.Id, user.Roles, comment!, now);
                return new Dictionary<string, object?> { [ReviewProcess.Variables.Approved] = false, [ReviewProcess.Variables.ApprovalReason] = comment?.Trim() };
            }
            var done = review.ApproveOffer(user.Id, user.Roles, now, comment);
            var offer = review.CurrentOffer!;
            var variables = done ? ReviewProcess.PaymentVariables(review, offer) : [];
            variables[ReviewProcess.Variables.Approved] = true;
            variables[ReviewProcess.Variables.ApprovalDone] = done;
            variables[ReviewProcess.Variables.ApprovalRole] = offer.PendingRole ?? "";
            return variables;
        }, ct);
        TempData["Flash"] = reviewSteps.Message(result, approve ? "Your approval was recorded." : "The offer was rejected and goes back to the handler who made it.");
        return RedirectToPage(new { p = PageNumber });
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
