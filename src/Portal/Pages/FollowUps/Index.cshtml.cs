using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Complaints;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.FollowUps;

/// <summary>Callbacks due today and overdue ones, in one list (oldest due first).</summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor)]
public sealed class IndexModel(RemediationDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, string Reference, string ContactName, string Phone, DateTimeOffset DueAt, ComplaintStep Step);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        // "Today" ends at the next local midnight of the server; earlier due times are overdue.
        var endOfToday = new DateTimeOffset(Now.ToLocalTime().Date.AddDays(1), Now.ToLocalTime().Offset);
        var rows = await db.Set<Complaint>().AsNoTracking()
            .Where(c => c.Status == ComplaintStatus.Open && (c.Step == ComplaintStep.AwaitFollowUp || c.Step == ComplaintStep.FollowUp)
                && c.CallbackDueAt != null && c.CallbackDueAt < endOfToday)
            .OrderBy(c => c.CallbackDueAt)
            .Select(c => new { c.Id, c.Reference, c.Contact.ContactName, c.Contact.Phone, c.CallbackDueAt, c.Step })
            .Take(500).ToListAsync(ct);
        Rows = rows.Select(r => new Row(r.Id, r.Reference.ToString(), r.ContactName, r.Phone.Value, r.CallbackDueAt!.Value, r.Step)).ToList();
    }
}
