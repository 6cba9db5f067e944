using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows.Persistence;
using FormKeys = Remediation.Portal.Complaints.ComplaintProcess.FormKeys;

namespace Remediation.Portal.Pages;

/// <summary>
/// The home page is the signed-in user's desk: their own steps due today and overdue, what waits in their roles'
/// pool, approvals waiting, the team's service level for supervisors and open incidents for admins. Every figure is a
/// count or a short list over the open work items' indexes (no history is read).
/// </summary>
public sealed class IndexModel(RemediationDbContext db, TimeProvider clock) : PageModel
{
    /// <summary>How many of the user's own steps the desk lists (soonest due first).</summary>
    public const int MyStepsShown = 8;

    public sealed record StepRow(string Label, string? BusinessKey, Guid? ComplaintId, DateTime? DueAt, bool Overdue);
    public sealed record StepCount(string Label, int Count);

    public string DisplayName { get; private set; } = "";
    public IReadOnlyList<string> Roles { get; private set; } = [];
    public DateTime Now { get; private set; }

    public IReadOnlyList<StepRow> MySteps { get; private set; } = [];
    public int MyOverdue { get; private set; }
    public int MyDueToday { get; private set; }
    public int MyOpen { get; private set; }
    public int PoolWaiting { get; private set; }
    /// <summary>Messages waiting for a handler to phone the customer (<see cref="Remediation.Portal.Complaints.CustomerCalls"/>).</summary>
    public int CallsToMake { get; private set; }
    public int ApprovalsWaiting { get; private set; }
    public int TeamOpen { get; private set; }
    public int TeamOverdue { get; private set; }
    public IReadOnlyList<StepCount> TeamOverdueBySteps { get; private set; } = [];
    public int EscalationsWaiting { get; private set; }
    public int OpenIncidents { get; private set; }

    public bool Works => Roles.Any(r => r is Data.Roles.Handler or Data.Roles.Supervisor or Data.Roles.Approver);

    public async Task OnGetAsync(CancellationToken ct)
    {
        DisplayName = User.FindFirstValue(PortalClaims.DisplayName) ?? User.Identity?.Name ?? "";
        Roles = [.. Data.Roles.All.Where(User.IsInRole)];
        var now = clock.GetUtcNow();
        Now = now.UtcDateTime;
        if (Roles.Count == 0) return;

        var nowUtc = Now;
        var local = now.ToLocalTime();
        var endOfToday = new DateTimeOffset(local.Date.AddDays(1), local.Offset).UtcDateTime;
        var open = db.Set<WorkItem>().AsNoTracking().Where(w => w.Status == WorkItemStatus.Open);

        if (Works)
        {
            var userId = User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
            var mine = open.Where(w => w.Assignee == userId);
            MyOpen = await mine.CountAsync(ct);
            MyOverdue = await mine.CountAsync(w => w.DueAt < nowUtc, ct);
            MyDueToday = await mine.CountAsync(w => w.DueAt >= nowUtc && w.DueAt < endOfToday, ct);
            var steps = await mine.OrderBy(w => w.DueAt == null).ThenBy(w => w.DueAt).ThenBy(w => w.CreatedAt).Take(MyStepsShown)
                .Select(w => new { w.FormKey, w.Name, w.ElementId, w.BusinessKey, w.DueAt }).ToListAsync(ct);
            var keys = steps.Select(s => s.BusinessKey).OfType<string>().Select(k => ComplaintReference.TryParse(k, out var r) ? r : null).OfType<ComplaintReference>().ToList();
            var complaints = keys.Count == 0 ? [] : await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes()
                .Where(c => keys.Contains(c.Reference)).Select(c => new { c.Reference, c.Id }).ToListAsync(ct);
            var ids = complaints.ToDictionary(c => c.Reference.ToString(), c => c.Id);
            MySteps = [.. steps.Select(s => new StepRow(s.FormKey ?? s.Name ?? s.ElementId, s.BusinessKey,
                s.BusinessKey is { } k && ids.TryGetValue(k, out var id) ? id : null,
                s.DueAt is { } due ? DateTime.SpecifyKind(due, DateTimeKind.Utc) : null, s.DueAt < nowUtc))];

            var pool = open.Where(w => w.Assignee == null);
            foreach (var role in Roles.Where(r => r is Data.Roles.Handler or Data.Roles.Supervisor))
            {
                var pattern = $"%|{role}|%";
                PoolWaiting += await pool.CountAsync(w => EF.Functions.Like(w.CandidateRoles, pattern), ct);
            }
            CallsToMake = await db.Set<Remediation.Portal.Complaints.CustomerCall>().AsNoTracking().CountAsync(c => c.CompletedAt == null, ct);
        }
        if (User.IsInRole(Data.Roles.Approver))
            ApprovalsWaiting = await open.CountAsync(w => w.Assignee == null && EF.Functions.Like(w.CandidateRoles, "%|Approver|%"), ct);
        if (User.IsInRole(Data.Roles.Supervisor))
        {
            TeamOpen = await open.CountAsync(ct);
            TeamOverdue = await open.CountAsync(w => w.DueAt < nowUtc, ct);
            TeamOverdueBySteps = [.. (await open.Where(w => w.DueAt < nowUtc).GroupBy(w => new { w.FormKey, w.ElementId })
                    .Select(g => new { g.Key.FormKey, g.Key.ElementId, Count = g.Count() }).ToListAsync(ct))
                .Select(g => new StepCount(g.FormKey ?? Complaints.CaseModel.ElementLabel(g.ElementId), g.Count))
                .OrderByDescending(g => g.Count).Take(6)];
            EscalationsWaiting = await open.CountAsync(w => w.FormKey == FormKeys.Escalation || w.FormKey == FormKeys.WorkOrder, ct);
        }
        if (User.IsInRole(Data.Roles.Admin))
            OpenIncidents = await db.Set<Incident>().AsNoTracking().CountAsync(i => i.ResolvedAt == null, ct);
    }
}
