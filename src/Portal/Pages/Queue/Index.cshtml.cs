using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Forms;
using Remediation.Portal.Inbox;
using Remediation.Portal.Infrastructure;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;

namespace Remediation.Portal.Pages.Queue;

/// <summary>The handler's own complaint tasks and the unassigned ones of their roles, overdue first; claim, give back, reassign.</summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor)]
public sealed class IndexModel(ComplaintQueue queue, ComplaintSteps steps, IWorkflowRuntime runtime, UserManager<ApplicationUser> users, RemediationDbContext db,
    IAuditLog audit, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Step { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public string? Vip { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Page<QueueRow> Rows { get; private set; } = new([], 1, PageSize, false);
    public DateTime Now { get; private set; }
    public string UserId { get; private set; } = "";
    public string? Flash { get; private set; }

    /// <summary>What the live poll compares with: the tasks on this page, who holds them, whether they are overdue.</summary>
    public string Fingerprint { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Flash = TempData["Flash"] as string;
        await ListAsync(ct);
    }

    /// <summary>The live page's poll (app.js): the same page of the queue, as a fingerprint.</summary>
    public async Task<IActionResult> OnGetFingerprintAsync(CancellationToken ct)
    {
        await ListAsync(ct);
        return new JsonResult(new { fingerprint = Fingerprint });
    }

    private async Task ListAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        var user = User.ToWorkflowUser();
        UserId = user.Id;
        Rows = await queue.ListAsync(user, new QueueFilter(Step, Channel, Vip, Overdue, Q, Mine), PageNumber, PageSize, ct);
        var now = Now;
        var shown = string.Join("|", Rows.Items.Select(r => $"{r.TaskId:N}:{r.Assignee}:{r.IsOverdue || r.DueAt < now}")) + $"|{Rows.HasMore}";
        Fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(shown)))[..16];
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid taskId, CancellationToken ct) =>
        await ChangeAsync(taskId, ct, user => runtime.ClaimAsync(taskId, user, ct), l["You took this step."].Value);

    public async Task<IActionResult> OnPostUnclaimAsync(Guid taskId, CancellationToken ct) =>
        await ChangeAsync(taskId, ct, user => runtime.UnclaimAsync(taskId, user, ct), l["You gave this step back to the queue."].Value);

    public async Task<IActionResult> OnPostReassignAsync(Guid taskId, string? to, CancellationToken ct)
    {
        var target = string.IsNullOrWhiteSpace(to) ? null : await users.FindByEmailAsync(to.Trim());
        if (target is null || target.IsDisabled || !await users.IsInRoleAsync(target, Roles.Handler))
        {
            TempData["Flash"] = l["{0} is not an active handler.", to ?? ""].Value;
            return RedirectToPage(RouteValues());
        }
        return await ChangeAsync(taskId, ct, async user =>
        {
            var result = await runtime.ReassignAsync(taskId, user, target.Id, ct);
            if (result.IsOk && await runtime.GetTaskAsync(taskId, ct) is { BusinessKey: { } reference })
            {
                // The new holder hears of it in their inbox.
                var complaintId = await db.Set<Domain.Complaints.Complaint>().Where(c => c.Reference == Domain.Complaints.ComplaintReference.Parse(reference))
                    .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
                db.Add(StaffNotification.For(target.Id, StaffNotificationKind.CaseHandedToYou, reference, complaintId, clock.GetUtcNow().UtcDateTime,
                    User.FindFirstValue(PortalClaims.DisplayName) ?? User.Identity?.Name));
                await db.SaveChangesAsync(ct);
            }
            return result;
        }, l["The step was handed to {0}.", target.DisplayName].Value);
    }

    private async Task<IActionResult> ChangeAsync(Guid taskId, CancellationToken ct, Func<WorkflowUser, Task<WorkflowResult>> change, string success)
    {
        var user = User.ToWorkflowUser();
        var task = await runtime.GetTaskAsync(taskId, ct);
        // A complaint's step: one of its forms, or a generated one (docs/studio.md) of a complaint's instance.
        if (task is null || !ComplaintProcess.FormKeys.All.Contains(task.FormKey)
            && !(GeneratedForm.IsGenerated(task.FormKey) && Domain.Complaints.ComplaintReference.TryParse(task.BusinessKey ?? "", out _)))
            return NotFound();
        var result = await change(user);
        if (result.Outcome == WorkflowOutcome.Forbidden)
            await audit.WriteAsync(AuditEvents.AccessDenied, User.Identity!.Name, $"queue task {taskId}: {result.Message}", ct);
        TempData["Flash"] = result.Outcome switch
        {
            WorkflowOutcome.Ok => success,
            WorkflowOutcome.Conflict when result.Conflict?.ActedBy is { } by =>
                task.Status == Workflows.Persistence.WorkItemStatus.Open
                    ? l["This step was already taken by {0}.", await steps.DisplayNameAsync(by, ct) ?? by].Value
                    : l["This step was already completed by {0} at {1}.", await steps.DisplayNameAsync(by, ct) ?? by, result.Conflict.ActedAt?.ToLocalTime().ToString("g") ?? ""].Value,
            WorkflowOutcome.Forbidden => l["You may not act on this step. The attempt has been recorded."].Value,
            _ => l[result.Message ?? "The step could not be changed."].Value,
        };
        return RedirectToPage(RouteValues());
    }

    public object RouteValues(int? page = null) => new { Step, Channel, Vip, Overdue, Mine, Q, p = page ?? PageNumber };
}
