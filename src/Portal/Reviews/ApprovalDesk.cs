using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.Remedies;
using Remediation.Domain.Reviews;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Reviews;

/// <summary>Median and range of the amounts approved for similar items; <see cref="Flagged"/> when the offer is more than twice the median.</summary>
public sealed record Consistency(int Count, decimal? Median, decimal? Min, decimal? Max, string Currency, bool Flagged)
{
    public static Consistency Of(IReadOnlyCollection<decimal> approved, decimal offered, string currency)
    {
        if (approved.Count == 0) return new(0, null, null, null, currency, false);
        var sorted = approved.Order().ToList();
        var mid = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new(sorted.Count, median, sorted[0], sorted[^1], currency, offered > 2 * median);
    }
}

/// <summary>A customer's history as an approver sees it: how many complaints and reviews, and earlier compensations with their outcomes.</summary>
public sealed record CustomerRecord(int Complaints, int Reviews, IReadOnlyList<EarlierCompensation> Compensations);

public sealed record EarlierCompensation(DateTimeOffset At, string What, decimal Amount, string Currency, string Outcome);

/// <summary>A review offer waiting for the user's level of the approval chain.</summary>
public sealed record PendingReviewOffer(Guid TaskId, Review Review, CompensationOffer Offer, string? CustomerName, CustomerRecord? History, Consistency Consistency);

/// <summary>
/// The approver's reads: review offers at a level the user's roles may decide, and for each the customer's history and
/// the consistency panel (docs/reviews.md). Complaint proposals use <see cref="ForComplaintAsync"/> for their panel.
/// </summary>
public sealed class ApprovalDesk(RemediationDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(180);
    private static readonly OfferStatus[] ApprovedStatuses = [OfferStatus.Approved, OfferStatus.Paid, OfferStatus.Accepted, OfferStatus.NotAccepted];

    public async Task<IReadOnlyList<PendingReviewOffer>> PendingReviewOffersAsync(WorkflowUser user, CancellationToken ct)
    {
        var tasks = await db.Set<WorkItem>().AsNoTracking()
            .Where(w => w.Status == WorkItemStatus.Open && w.FormKey == ReviewProcess.FormKeys.Approve && (w.Assignee == null || w.Assignee == user.Id))
            .OrderBy(w => w.CreatedAt).Take(200)
            .Select(w => new { w.Id, w.BusinessKey, w.CandidateRoles }).ToListAsync(ct);
        tasks = tasks.Where(t => user.Roles.Any(r => t.CandidateRoles.Contains("|" + r + "|", StringComparison.Ordinal))).Take(50).ToList();
        var ids = tasks.Select(t => ReviewId(t.BusinessKey)).OfType<Guid>().ToList();
        var reviews = await db.Set<Review>().AsNoTracking().AsSplitQuery().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var result = new List<PendingReviewOffer>();
        foreach (var task in tasks)
        {
            if (ReviewId(task.BusinessKey) is not { } id || !reviews.TryGetValue(id, out var review) || review.CurrentOffer is not { } offer) continue;
            var customer = review.CustomerId is { } cid ? await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == cid, ct) : null;
            result.Add(new(task.Id, review, offer, customer?.Name ?? review.BuyerName,
                customer is null ? null : await HistoryAsync(customer.Id, review.Id, ct), await ForReviewAsync(review, offer, ct)));
        }
        return result;
    }

    public static Guid? ReviewId(string? businessKey) =>
        businessKey is { Length: > 7 } key && key.StartsWith("review:", StringComparison.Ordinal) && Guid.TryParse(key[7..], out var id) ? id : null;

    /// <summary>Offers approved in the window in the same currency for reviews of the same rating or platform (not this review).</summary>
    public async Task<Consistency> ForReviewAsync(Review review, CompensationOffer offer, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - Window;
        var amounts = await (from o in db.Set<CompensationOffer>().AsNoTracking()
                             join r in db.Set<Review>().AsNoTracking().IgnoreAutoIncludes() on EF.Property<Guid>(o, "ReviewId") equals r.Id
                             where ApprovedStatuses.Contains(o.Status) && o.Currency == offer.Currency && o.ProposedAt >= since && r.Id != review.Id
                                 && (r.Rating == review.Rating || r.Platform == review.Platform)
                             orderby o.ProposedAt descending
                             select o.Amount).Take(2000).ToListAsync(ct);
        return Consistency.Of(amounts, offer.Amount, offer.Currency);
    }

    /// <summary>Complaint compensation approved (or within authority) in the window in the same currency and category.</summary>
    public async Task<Consistency> ForComplaintAsync(Guid complaintId, RemedyProposal proposal, CancellationToken ct)
    {
        if (proposal.Amount is not { } amount) return new(0, null, null, null, proposal.Currency ?? "", false);
        var since = clock.GetUtcNow() - Window;
        var category = await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes().Where(c => c.Id == complaintId).Select(c => c.Category).FirstAsync(ct);
        var amounts = await (from p in db.Set<RemedyProposal>().AsNoTracking()
                             join c in db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes() on EF.Property<Guid>(p, "ComplaintId") equals c.Id
                             where (p.ApprovalState == ApprovalState.Approved || p.ApprovalState == ApprovalState.NotRequired)
                                 && p.Type == proposal.Type && p.Currency == proposal.Currency && p.Amount != null && p.ProposedAt >= since
                                 && c.Category == category && c.Id != complaintId
                             orderby p.ProposedAt descending
                             select p.Amount!.Value).Take(2000).ToListAsync(ct);
        return Consistency.Of(amounts, amount, proposal.Currency!);
    }

    /// <summary>The customer's complaints and reviews, and their earlier compensations (review offers and complaint remedies) with outcomes.</summary>
    public async Task<CustomerRecord> HistoryAsync(Guid customerId, Guid? exceptReview, CancellationToken ct)
    {
        var complaints = await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes().CountAsync(c => c.CustomerId == customerId, ct);
        var reviews = await db.Set<Review>().AsNoTracking().IgnoreAutoIncludes().CountAsync(r => r.CustomerId == customerId, ct);
        var offers = await (from o in db.Set<CompensationOffer>().AsNoTracking()
                            join r in db.Set<Review>().AsNoTracking().IgnoreAutoIncludes() on EF.Property<Guid>(o, "ReviewId") equals r.Id
                            where r.CustomerId == customerId && r.Id != exceptReview
                            orderby o.ProposedAt descending
                            select new { o.ProposedAt, r.Platform, o.Method, o.Amount, o.Currency, o.Status }).Take(20).ToListAsync(ct);
        var proposals = await (from p in db.Set<RemedyProposal>().AsNoTracking()
                               join c in db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes() on EF.Property<Guid>(p, "ComplaintId") equals c.Id
                               where c.CustomerId == customerId && p.Amount != null
                               orderby p.ProposedAt descending
                               select new { p.ProposedAt, c.Reference, p.Type, p.Amount, p.Currency, p.ApprovalState, p.DeliveredAt }).Take(20).ToListAsync(ct);
        var list = offers.Select(o => new EarlierCompensation(o.ProposedAt, $"{o.Platform} · {o.Method}", o.Amount, o.Currency, o.Status.ToString()))
            .Concat(proposals.Select(p => new EarlierCompensation(p.ProposedAt, $"{p.Reference} · {p.Type}", p.Amount!.Value, p.Currency!,
                p.DeliveredAt is not null ? "Delivered" : p.ApprovalState.ToString())))
            .OrderByDescending(e => e.At).Take(20).ToList();
        return new(complaints, reviews, list);
    }
}
