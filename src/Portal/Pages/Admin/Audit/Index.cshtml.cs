using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Admin.Audit;

/// <summary>
/// The audit log for admins: security events, actions on complaints and case reads (who saw which case and customer,
/// for PIPL/GDPR access requests), newest first, filtered and paged in SQL (<c>Take(n+1)</c>, no count).
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(RemediationDbContext db) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The filter form (GET).</summary>
    public sealed class Filter
    {
        public string? User { get; set; }
        public string? Case { get; set; }
        public string? Event { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
    }

    public sealed record Row(long Id, DateTime At, string Event, string? User, string? Case, Guid? CustomerId, string? Detail, string? RemoteIp);

    [BindProperty(SupportsGet = true, Name = "f")] public Filter Query { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public bool HasMore { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        var entries = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Query.User)) entries = entries.Where(e => e.UserName == Query.User.Trim());
        if (!string.IsNullOrWhiteSpace(Query.Case)) entries = entries.Where(e => e.CaseReference == Query.Case.Trim().ToUpperInvariant());
        if (!string.IsNullOrWhiteSpace(Query.Event)) entries = entries.Where(e => e.Event == Query.Event);
        // Dates are the server's UTC days, as stored.
        if (Query.From is { } from) entries = entries.Where(e => e.OccurredAtUtc >= from.ToDateTime(TimeOnly.MinValue));
        if (Query.To is { } to) entries = entries.Where(e => e.OccurredAtUtc < to.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var rows = await entries.OrderByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1)
            .Select(e => new Row(e.Id, e.OccurredAtUtc, e.Event, e.UserName, e.CaseReference, e.CustomerId, e.Detail, e.RemoteIp))
            .ToListAsync(ct);
        HasMore = rows.Count > PageSize;
        Rows = rows.Take(PageSize).ToList();
    }

    /// <summary>The route values of another page with the same filter.</summary>
    public Dictionary<string, string?> RouteValues(int page) => new()
    {
        ["f.User"] = Query.User, ["f.Case"] = Query.Case, ["f.Event"] = Query.Event,
        ["f.From"] = Query.From?.ToString("yyyy-MM-dd"), ["f.To"] = Query.To?.ToString("yyyy-MM-dd"), ["p"] = page.ToString(),
    };
}
