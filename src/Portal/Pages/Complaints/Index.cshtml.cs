using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Remediation.Domain.Complaints;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Complaints;

/// <summary>All complaints, closed included: search by reference, phone, order or name, filter by status, step and dates.</summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor + "," + Roles.Approver + "," + Roles.Admin)]
public sealed class IndexModel(ComplaintSearch search) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public ComplaintStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public ComplaintStep? Step { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public CaseSearchPage Results { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        // A value the binder could not read (a forged enum, a date like 2026-13-01) is dropped with a message, not a 400.
        foreach (var key in ModelState.Where(e => e.Value?.ValidationState == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid).Select(e => e.Key).ToList())
            ModelState.Remove(key);
        if (From > To) (From, To) = (To, From);
        Results = await search.SearchAsync(new CaseSearchFilter(Q, Status, Step, From, To), CaseSearchCursor.Parse(After), PageSize, ct);
    }

    public object RouteValues(string? after = null) => new { Q, Status, Step, From = From?.ToString("yyyy-MM-dd"), To = To?.ToString("yyyy-MM-dd"), After = after };
}
