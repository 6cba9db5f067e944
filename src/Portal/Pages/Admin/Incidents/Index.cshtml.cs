using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Pages.Admin.Incidents;

/// <summary>Open incidents (element, message, time, instance), retried one or many at a time; resolved ones as history.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(RemediationDbContext db, IWorkflowRuntime runtime, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int OpenLimit = 200;
    public const int HistoryLimit = 50;

    public sealed record Row(Guid Id, Guid InstanceId, string ProcessId, int Version, string? BusinessKey, string ElementId,
        IncidentKind Kind, string Message, DateTime CreatedAt, DateTime? ResolvedAt, string? ResolvedBy);

    public IReadOnlyList<Row> Open { get; private set; } = [];
    public IReadOnlyList<Row> History { get; private set; } = [];
    [TempData] public string? Flash { get; set; }
    [TempData] public bool FlashIsError { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Open = await Rows(db.Set<Incident>().Where(i => i.ResolvedAt == null).OrderByDescending(i => i.CreatedAt)).Take(OpenLimit).ToListAsync(ct);
        History = await Rows(db.Set<Incident>().Where(i => i.ResolvedAt != null).OrderByDescending(i => i.ResolvedAt)).Take(HistoryLimit).ToListAsync(ct);
    }

    public Task<IActionResult> OnPostRetryOneAsync(Guid id, CancellationToken ct) => OnPostRetryAsync([id], ct);

    /// <summary>Retries the chosen incidents, each in its own engine command with its audit entry.</summary>
    public async Task<IActionResult> OnPostRetryAsync(List<Guid> ids, CancellationToken ct)
    {
        ids = ids.Distinct().Take(OpenLimit).ToList();
        if (ids.Count == 0)
        {
            (Flash, FlashIsError) = (l["Choose at least one incident to retry."], true);
            return RedirectToPage();
        }
        var user = User.Identity?.Name;
        var failures = new List<string>();
        var retried = 0;
        foreach (var id in ids)
        {
            var result = await runtime.RetryIncidentAsync(id, user, ct, (context, _) =>
            {
                audit.Add(context, AuditEvents.IncidentRetried, user, $"incident {id}");
                return Task.CompletedTask;
            });
            if (result.IsOk) retried++;
            else if (result.Outcome == WorkflowOutcome.Conflict)
                failures.Add(l["Incident {0} was already retried by {1} at {2} UTC.", id, result.Conflict?.ActedBy ?? l["the system"].Value, result.Conflict?.ActedAt?.ToString("yyyy-MM-dd HH:mm:ss") ?? ""]);
            else failures.Add(l["Incident {0} could not be retried: {1}", id, result.Message ?? result.Outcome.ToString()]);
        }
        Flash = string.Join(" ", new[] { l["{0} incident(s) retried.", retried].Value }.Concat(failures));
        FlashIsError = failures.Count > 0;
        return RedirectToPage();
    }

    private IQueryable<Row> Rows(IQueryable<Incident> incidents) =>
        from i in incidents
        join instance in db.Set<WorkflowInstance>() on i.InstanceId equals instance.Id
        select new Row(i.Id, i.InstanceId, instance.ProcessId, instance.DefinitionVersion, instance.BusinessKey, i.ElementId, i.Kind, i.Message,
            i.CreatedAt, i.ResolvedAt, i.ResolvedBy);
}
