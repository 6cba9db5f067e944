using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Customers;
using Remediation.Domain.Reviews;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Reviews;

/// <summary>The review queue's filters; <see cref="Status"/> null means every open review.</summary>
public sealed record ReviewFilter(string? Platform = null, int? Rating = null, ReviewStatus? Status = null, bool ClosedToo = false,
    bool Overdue = false, bool Mine = false, string? Search = null);

public sealed record ReviewRow(Guid Id, string Platform, string ExternalId, int Rating, ReviewClassification Classification, ReviewStatus Status,
    ReviewOutcome? Outcome, string Text, string? BuyerName, string? CustomerName, string? OrderReference, DateTimeOffset ReplyDueAt,
    DateTimeOffset PostedAt, bool FlaggedForAudit, string? HandlerId);

/// <summary>
/// The review queue: one statement over <c>Reviews</c> (left join to the customer's name), filters composed by EF, most
/// urgent reply first, <c>Take(n+1)</c> paging; no offers or notes are loaded. Indexes: (Status, ReplyDueAt) and the same
/// prefixed by platform, rating and handler.
/// </summary>
public sealed class ReviewQueue(RemediationDbContext db, TimeProvider clock)
{
    public const int PageSize = 25;

    public async Task<Page<ReviewRow>> ListAsync(string userId, ReviewFilter filter, int page, CancellationToken ct)
    {
        page = Math.Max(1, page);
        var now = clock.GetUtcNow();
        var reviews = db.Set<Review>().AsNoTracking().IgnoreAutoIncludes();
        if (filter.Status is { } status) reviews = reviews.Where(r => r.Status == status);
        else if (!filter.ClosedToo) reviews = reviews.Where(r => r.Status != ReviewStatus.Closed);
        if (!string.IsNullOrWhiteSpace(filter.Platform)) reviews = reviews.Where(r => r.Platform == filter.Platform);
        if (filter.Rating is { } rating) reviews = reviews.Where(r => r.Rating == rating);
        if (filter.Overdue) reviews = reviews.Where(r => r.Status == ReviewStatus.New && r.ReplyDueAt < now);
        if (filter.Mine) reviews = reviews.Where(r => r.HandlerId == userId);

        var rows = from r in reviews
                   from c in db.Set<Customer>().Where(c => c.Id == r.CustomerId).DefaultIfEmpty()
                   select new { r, CustomerName = (string?)c.Name };
        var search = filter.Search?.Trim() ?? "";
        if (search.Length > 0 && await reviews.AnyAsync(r => r.OrderReference == search, ct))
        {
            // An order reference: looked up through its index.
            rows = rows.Where(x => x.r.OrderReference == search);
        }
        else if (search.Length > 0)
        {
            // Anything else is matched while walking the queue's index until the page is full (a substring: no index).
            var like = "%" + search.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            rows = rows.Where(x => x.r.OrderReference == search || x.r.ExternalId == search
                || EF.Functions.Like(x.r.BuyerName!, like, "\\") || EF.Functions.Like(x.CustomerName!, like, "\\")
                || EF.Functions.Like(x.r.Text, like, "\\"));
        }
        var items = await rows.OrderBy(x => x.r.ReplyDueAt).ThenBy(x => x.r.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1)
            .Select(x => new ReviewRow(x.r.Id, x.r.Platform, x.r.ExternalId, x.r.Rating, x.r.Classification, x.r.Status, x.r.Outcome,
                x.r.Text.Length > 160 ? x.r.Text.Substring(0, 160) + "…" : x.r.Text, x.r.BuyerName, x.CustomerName, x.r.OrderReference,
                x.r.ReplyDueAt, x.r.PostedAt, x.r.FlaggedForAudit, x.r.HandlerId))
            .ToListAsync(ct);
        return new Page<ReviewRow>(items.Take(PageSize).ToList(), page, PageSize, items.Count > PageSize);
    }
}
