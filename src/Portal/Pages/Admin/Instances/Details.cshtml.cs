using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Api;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Pages.Admin.Instances;

/// <summary>
/// One process instance: its diagram (tokens, incidents, visits), variables, journal, parent and children, open tasks and
/// who holds them; cancel with a reason, retry an incident and modify the instance (move a token, after a preview), each
/// audited in the engine command's transaction.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class DetailsModel(RemediationDbContext db, IWorkflowRuntime runtime, IInstanceChanges changes, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int JournalLimit = 500;

    public sealed record ChildRow(Guid Id, string ProcessId, int Version, InstanceStatus Status, DateTime CreatedAt);

    public sealed class CancelInput
    {
        [Display(Name = "Reason")]
        [Required(ErrorMessage = "The {0} field is required.")]
        [StringLength(1000, ErrorMessage = "{0} must be at most {1} characters.")]
        public string? Reason { get; set; }
    }

    /// <summary>A modification: the element whose token is cancelled, the element a token starts at, and why.</summary>
    public sealed class ModifyInput
    {
        [Display(Name = "Cancel the token at")]
        [Required(ErrorMessage = "The {0} field is required.")]
        public string? CancelAt { get; set; }

        [Display(Name = "Start at")]
        [Required(ErrorMessage = "The {0} field is required.")]
        public string? StartAt { get; set; }

        [Display(Name = "Reason")]
        [Required(ErrorMessage = "The {0} field is required.")]
        [StringLength(1000, ErrorMessage = "{0} must be at most {1} characters.")]
        public string? Reason { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    public InstanceView Instance { get; private set; } = null!;
    public string? EndReason { get; private set; }
    public string? DiagramUrl { get; private set; }
    public IReadOnlyList<JournalView> Journal { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Visits { get; private set; } = new Dictionary<string, int>();
    public IReadOnlyList<ChildRow> Children { get; private set; } = [];
    public IReadOnlyList<WorkItemView> OpenTasks { get; private set; } = [];
    public CancelInput Cancel { get; private set; } = new();
    public ModifyInput Modify { get; private set; } = new();
    public ModificationChoices? Choices { get; private set; }
    /// <summary>Set after Preview: what the modification in <see cref="Modify"/> would do, shown with the confirm button.</summary>
    public ModificationPreview? Preview { get; private set; }
    [TempData] public string? Flash { get; set; }
    [TempData] public bool FlashIsError { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCancelAsync([Bind(Prefix = "Cancel")] CancelInput input, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Cancel = input;
            return await LoadAsync(ct) ? Page() : NotFound();
        }
        var user = User.Identity?.Name;
        var result = await runtime.CancelAsync(Id, input.Reason!.Trim(), user, ct, (context, _) =>
        {
            audit.Add(context, AuditEvents.InstanceCancelled, user, $"instance {Id}: {input.Reason}");
            return Task.CompletedTask;
        });
        (Flash, FlashIsError) = result.Outcome switch
        {
            WorkflowOutcome.Ok => (l["The instance was cancelled."].Value, false),
            WorkflowOutcome.NotFound => (l["The instance does not exist."].Value, true),
            _ => (l["The instance was not cancelled: it has already ended or someone else changed it ({0} at {1} UTC).",
                result.Conflict?.ActedBy ?? l["the system"].Value, result.Conflict?.ActedAt?.ToString("yyyy-MM-dd HH:mm:ss") ?? ""].Value, true),
        };
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostPreviewModifyAsync([Bind(Prefix = "Modify")] ModifyInput input, CancellationToken ct)
    {
        Modify = input;
        if (ModelState.IsValid)
        {
            var preview = await changes.PreviewModificationAsync(Id, input.CancelAt!, input.StartAt!, ct);
            if (preview.IsOk) Preview = preview.Value;
            else ModelState.AddModelError("Modify", ModifyRefused(preview));
            // The lists offer only elements the engine accepts: another one is a forged (or stale) form.
            if (preview.Outcome == WorkflowOutcome.Invalid)
                await audit.WriteAsync(AuditEvents.RejectedInput, User.Identity?.Name, $"modification of instance {Id}: {preview.Message}", ct);
        }
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostModifyAsync([Bind(Prefix = "Modify")] ModifyInput input, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Modify = input;
            return await LoadAsync(ct) ? Page() : NotFound();
        }
        var user = User.Identity?.Name;
        var reason = input.Reason!.Trim();
        var result = await changes.ModifyAsync(Id, input.CancelAt!, input.StartAt!, reason, user, ct, (context, _) =>
        {
            audit.Add(context, AuditEvents.InstanceModified, user, $"instance {Id}: from {input.CancelAt} to {input.StartAt}: {reason}");
            return Task.CompletedTask;
        });
        (Flash, FlashIsError) = result.IsOk ? (l["The instance was modified."].Value, false) : (ModifyRefused(result), true);
        return RedirectToPage(new { id = Id });
    }

    private string ModifyRefused(WorkflowResult result) => result.Outcome switch
    {
        WorkflowOutcome.NotFound => l["The instance does not exist."].Value,
        WorkflowOutcome.Invalid => l["The instance was not modified: choose an element where it waits and one a token can start at."].Value,
        _ => l["The instance was not modified: it has already ended or someone else changed it ({0} at {1} UTC).",
            result.Conflict?.ActedBy ?? l["the system"].Value, result.Conflict?.ActedAt?.ToString("yyyy-MM-dd HH:mm:ss") ?? ""].Value,
    };

    public async Task<IActionResult> OnPostRetryAsync(Guid incidentId, CancellationToken ct)
    {
        // Object-level check: the incident must be one of this instance's.
        if (!await db.Set<Incident>().AnyAsync(i => i.Id == incidentId && i.InstanceId == Id, ct)) return NotFound();
        var user = User.Identity?.Name;
        var result = await runtime.RetryIncidentAsync(incidentId, user, ct, (context, _) =>
        {
            audit.Add(context, AuditEvents.IncidentRetried, user, $"incident {incidentId} of instance {Id}");
            return Task.CompletedTask;
        });
        (Flash, FlashIsError) = result.IsOk
            ? (l["{0} incident(s) retried.", 1].Value, false)
            : (l["Incident {0} could not be retried: {1}", incidentId, result.Message ?? result.Outcome.ToString()].Value, true);
        return RedirectToPage(new { id = Id });
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var instance = await runtime.GetInstanceAsync(Id, ct);
        if (instance is null) return false;
        Instance = instance;
        var row = await db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.Id == Id)
            .Select(i => new { i.DefinitionId, i.EndReason }).SingleAsync(ct);
        EndReason = row.EndReason;
        DiagramUrl = DefinitionApi.XmlUrl(row.DefinitionId);
        var journal = await runtime.GetJournalAsync(Id, ct);
        Visits = journal.Where(j => j.Kind == JournalKind.Entered && j.ElementId is not null)
            .GroupBy(j => j.ElementId!).ToDictionary(g => g.Key, g => g.Count());
        Journal = journal.TakeLast(JournalLimit).Reverse().ToList();
        Children = await db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.ParentInstanceId == Id).OrderBy(i => i.CreatedAt)
            .Select(i => new ChildRow(i.Id, i.ProcessId, i.DefinitionVersion, i.Status, i.CreatedAt)).ToListAsync(ct);
        OpenTasks = (await runtime.GetTasksOfInstanceAsync(Id, ct)).Where(t => t.Status == WorkItemStatus.Open).ToList();
        if (instance.Status == InstanceStatus.Running) Choices = await changes.ModificationChoicesAsync(Id, ct);
        return true;
    }
}
