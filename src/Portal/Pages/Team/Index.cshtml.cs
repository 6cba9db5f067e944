using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Team;
using Remediation.Workflows;

namespace Remediation.Portal.Pages.Team;

/// <summary>The actions a supervisor has on one task (the team view's rows and the escalation's late step).</summary>
public sealed record TaskActions(TeamTask Task, IReadOnlyList<StaffMember> Staff, string ReturnUrl, ClaimsPrincipal User)
{
    /// <summary>People who may work the task, other than its holder.</summary>
    public IEnumerable<StaffMember> Eligible => Staff.Where(s => s.MayWork(Task.CandidateRoles) && s.Id != Task.Assignee);
    public bool CanTakeOver => Task.CandidateRoles.Any(User.IsInRole) && Task.Assignee != User.FindFirstValue(ClaimTypes.NameIdentifier);
}

/// <summary>
/// Supervisors (and admins): open complaint and review tasks by holder and the pool, overdue by step and by holder, and the
/// actions on any task (reassign, return to the pool, take over, extend the due date with a reason).
/// </summary>
[Authorize(Roles = Roles.Supervisor + "," + Roles.Admin)]
public sealed class IndexModel(TeamDesk desk, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Holder { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<HolderLoad> Holders { get; private set; } = [];
    public IReadOnlyList<StepLoad> Steps { get; private set; } = [];
    public Page<TeamTask> Tasks { get; private set; } = new([], 1, TeamDesk.PageSize, false);
    public IReadOnlyList<StaffMember> Staff { get; private set; } = [];
    public DateTime Now { get; private set; }
    public string? Flash { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Flash = TempData["Flash"] as string;
        Now = clock.GetUtcNow().UtcDateTime;
        (Holders, Steps) = await desk.LoadsAsync(ct);
        Tasks = await desk.ListAsync(Holder, Overdue, PageNumber, ct);
        Staff = await desk.StaffAsync(ct);
    }

    public string NameOf(string? userId) =>
        userId is null ? l["Pool (unassigned)"].Value : Staff.FirstOrDefault(s => s.Id == userId)?.Name ?? userId;

    public async Task<IActionResult> OnPostReassignAsync(Guid taskId, string? to, string? returnUrl, CancellationToken ct) =>
        Done(await desk.ReassignAsync(taskId, to, User.ToWorkflowUser(), User.Identity!.Name!, ct), returnUrl, "The step was handed over.");

    public async Task<IActionResult> OnPostPoolAsync(Guid taskId, string? returnUrl, CancellationToken ct) =>
        Done(await desk.ReturnToPoolAsync(taskId, User.ToWorkflowUser(), User.Identity!.Name!, ct), returnUrl, "The step is back in the pool.");

    public async Task<IActionResult> OnPostTakeOverAsync(Guid taskId, string? returnUrl, CancellationToken ct) =>
        Done(await desk.TakeOverAsync(taskId, User.ToWorkflowUser(), User.Identity!.Name!, ct), returnUrl, "You took over this step.");

    public async Task<IActionResult> OnPostExtendAsync(Guid taskId, DateTime? dueAt, string? reason, string? returnUrl, CancellationToken ct)
    {
        // The page shows and takes times in the portal's local time.
        DateTime? due = dueAt is { } d ? DateTime.SpecifyKind(d, DateTimeKind.Local).ToUniversalTime() : null;
        return Done(await desk.ExtendAsync(taskId, due, reason, User.ToWorkflowUser(), User.Identity!.Name!, ct), returnUrl, "The due date was moved.");
    }

    private IActionResult Done(TeamResult result, string? returnUrl, string success)
    {
        // Role names among the arguments are shown in the reader's language.
        var args = result.Args.Select(a => a is string text ? string.Join(", ", text.Split(", ").Select(p => Roles.All.Contains(p) ? l[p].Value : p)) : a).ToArray();
        TempData["Flash"] = result.Succeeded ? l[success].Value : l[result.Message ?? "The step could not be changed.", args].Value;
        if (result.Outcome == TeamOutcome.Forbidden) Response.StatusCode = StatusCodes.Status403Forbidden;
        return !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage(new { Holder, Overdue, p = PageNumber });
    }

    public object RouteValues(string? holder, bool overdue) => new { holder, overdue };
}
