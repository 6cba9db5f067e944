using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;
using Remediation.Portal.Studio;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Pages.Admin.Instances;

/// <summary>Process instances searched by process, version, status, business key, incidents and start date; keyset pages (<see cref="InstanceSearch"/>).</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(RemediationDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "f")] public InstanceFilter Filter { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "after")] public string? After { get; set; }
    public IReadOnlyList<string> Processes { get; private set; } = [];
    public InstancePage Results { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Processes = await db.Set<WorkflowDefinition>().AsNoTracking().Select(d => d.ProcessId).Distinct().OrderBy(p => p).ToListAsync(ct);
        if (!ModelState.IsValid) return; // a malformed date or number: the form shows the field's message
        Results = await InstanceSearch.PageAsync(db, Filter, After, ct);
    }

    /// <summary>The route values of the next page with the same filter.</summary>
    public Dictionary<string, string?> NextPage() => new()
    {
        ["f.Process"] = Filter.Process, ["f.Version"] = Filter.Version?.ToString(), ["f.Status"] = Filter.Status?.ToString(),
        ["f.BusinessKey"] = Filter.BusinessKey, ["f.Incidents"] = Filter.Incidents.ToString(),
        ["f.From"] = Filter.From?.ToString("yyyy-MM-dd"), ["f.To"] = Filter.To?.ToString("yyyy-MM-dd"), ["after"] = Results.Next,
    };
}
