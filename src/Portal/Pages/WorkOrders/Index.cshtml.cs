using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.WorkOrders;

/// <summary>
/// Supervisors: open work orders (客服工单) of both kinds, oldest first. One written by "hand to supervisor" is resolved
/// here with a note (the complaint closes); one raised by the third rejection is resolved on the case page (its engine task).
/// </summary>
[Authorize(Roles = Roles.Supervisor)]
public sealed class IndexModel(WorkOrderDesk desk, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<WorkOrderRow> Items { get; private set; } = [];
    public bool HasMore { get; private set; }
    public string? Flash { get; private set; }
    public DateTimeOffset Now { get; private set; }
    /// <summary>The work order whose resolution was refused; its form shows the message and keeps the text.</summary>
    public Guid? FailedComplaintId { get; private set; }

    [BindProperty] public WorkOrderResolutionInput Resolve { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostResolveAsync(Guid complaintId, CancellationToken ct)
    {
        var result = await desk.ResolveAsync(complaintId, Resolve, User.ToWorkflowUser().Id, User.Identity!.Name!, ct);
        switch (result.Outcome)
        {
            case ResolveOutcome.Resolved:
                TempData["Flash"] = l["The work order was resolved and the complaint is closed."].Value;
                break;
            case ResolveOutcome.AlreadyResolved:
                TempData["Flash"] = l["This work order was already resolved by {0} at {1}.", result.ResolvedBy ?? "",
                    result.ResolvedAt?.ToLocalTime().ToString("g", CultureInfo.CurrentCulture) ?? ""].Value;
                break;
            case ResolveOutcome.InProcess:
                TempData["Flash"] = l["This work order is resolved on the case page."].Value;
                break;
            case ResolveOutcome.Conflict:
                TempData["Flash"] = l["Someone else changed this complaint at the same time; nothing was saved."].Value;
                break;
            case ResolveOutcome.NotFound:
                return NotFound();
            default:
                return await RefuseAsync(complaintId, l.Translate(result.Refusal!), ct);
        }
        return RedirectToPage(new { p = PageNumber });
    }

    /// <summary>How long the order has been waiting, in the largest sensible unit.</summary>
    public string Age(DateTimeOffset raisedAt)
    {
        var age = Now - raisedAt;
        if (age < TimeSpan.FromHours(1)) return l["{0} min", Math.Max(0, (int)age.TotalMinutes)].Value;
        if (age < TimeSpan.FromDays(2)) return l["{0} h", (int)age.TotalHours].Value;
        return l["{0} d", (int)age.TotalDays].Value;
    }

    private async Task<IActionResult> RefuseAsync(Guid complaintId, string message, CancellationToken ct)
    {
        ModelState.AddModelError("resolution", message);
        FailedComplaintId = complaintId;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Flash = TempData["Flash"] as string;
        Now = clock.GetUtcNow();
        var page = await desk.ListOpenAsync(PageNumber, PageSize, ct);
        Items = page.Items;
        HasMore = page.HasMore;
    }
}
