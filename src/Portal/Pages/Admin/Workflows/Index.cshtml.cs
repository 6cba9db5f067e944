using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Studio;
using Remediation.Workflows;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Pages.Admin.Workflows;

/// <summary>
/// Every process: its published versions (running instances on each), its draft and who saved it; upload a .bpmn file
/// as a draft, download any version, start a new process from a blank diagram.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(RemediationDbContext db, IWorkflowDefinitions definitions, WorkflowOptions options, IAuditLog audit,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record VersionRow(Guid Id, int Version, DateTime? PublishedAt, string? ChangedBy, int Running);
    public sealed record DraftRow(Guid Id, DateTime SavedAt, string? ChangedBy);
    public sealed record ProcessRow(string ProcessId, string? Name, IReadOnlyList<VersionRow> Versions, DraftRow? Draft)
    {
        public VersionRow? Latest => Versions.Count > 0 ? Versions[0] : null;
    }

    /// <summary>The "new process" form.</summary>
    public sealed class NewProcessInput
    {
        [Display(Name = "Process id")]
        [Required(ErrorMessage = "The {0} field is required.")]
        [StringLength(200, ErrorMessage = "{0} must be at most {1} characters.")]
        [RegularExpression("^[A-Za-z_][A-Za-z0-9_.-]*$", ErrorMessage = "{0} must start with a letter and hold only letters, digits, '-', '_' and '.'.")]
        public string? ProcessId { get; set; }

        [Display(Name = "Process name")]
        [Required(ErrorMessage = "The {0} field is required.")]
        [StringLength(400, ErrorMessage = "{0} must be at most {1} characters.")]
        public string? Name { get; set; }
    }

    public IReadOnlyList<ProcessRow> Processes { get; private set; } = [];
    /// <summary>The new-process form as posted (bound by its handler only, so an upload does not validate it).</summary>
    public NewProcessInput New { get; private set; } = new();
    /// <summary>After an upload: the process it saved a draft of (null when nothing was saved) and the problems found.</summary>
    public string? UploadedProcessId { get; private set; }
    public IReadOnlyList<ValidationProblem>? UploadProblems { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
            ModelState.AddModelError("file", l["Choose a .bpmn file to upload."]);
        else if (!file.FileName.EndsWith(".bpmn", StringComparison.OrdinalIgnoreCase) && !file.FileName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            ModelState.AddModelError("file", l["The file must be a .bpmn (BPMN 2.0 XML) file."]);
        else if (file.Length > options.MaxDefinitionBytes)
            ModelState.AddModelError("file", l["The file is larger than the limit of {0:N0} bytes.", options.MaxDefinitionBytes]);
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        string xml;
        using (var reader = new StreamReader(file!.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            xml = await reader.ReadToEndAsync(ct);
        var user = User.Identity?.Name;
        // An upload replaces the draft on purpose (null token); a designer open on the old draft is then refused on save.
        var saved = await definitions.SaveDraftAsync(xml, user, null, ct, (context, _) =>
        {
            audit.Add(context, AuditEvents.WorkflowUploaded, user, $"{file.FileName} ({file.Length:N0} bytes)");
            return Task.CompletedTask;
        });
        if (saved.IsOk)
        {
            UploadedProcessId = saved.Value!.ProcessId;
            UploadProblems = await definitions.ValidateAsync(xml, ct);
        }
        else
        {
            UploadProblems = saved.Problems.Count > 0 ? saved.Problems : [new ValidationProblem(BpmnParser.DocumentId, saved.Message ?? "")];
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostNewAsync([Bind(Prefix = "New")] NewProcessInput input, CancellationToken ct)
    {
        New = input;
        if (ModelState.IsValid && await db.Set<WorkflowDefinition>().AnyAsync(d => d.ProcessId == New.ProcessId, ct))
            ModelState.AddModelError("New.ProcessId", l["A process with the id '{0}' exists already.", New.ProcessId!]);
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        var user = User.Identity?.Name;
        var saved = await definitions.SaveDraftAsync(BlankDiagram.Xml(New.ProcessId!.Trim(), New.Name!.Trim()), user, DefinitionView.NoDraftToken(0), ct, (context, _) =>
        {
            audit.Add(context, AuditEvents.WorkflowCreated, user, New.ProcessId);
            return Task.CompletedTask;
        });
        if (!saved.IsOk)
        {
            ModelState.AddModelError("New.ProcessId", l["A process with the id '{0}' exists already.", New.ProcessId!]);
            await LoadAsync(ct);
            return Page();
        }
        return RedirectToPage("Edit", new { processId = saved.Value!.ProcessId });
    }

    /// <summary>Any version (or the draft) as a .bpmn file.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(Guid id, CancellationToken ct)
    {
        var definition = await db.Set<WorkflowDefinition>().AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.ProcessId, d.Version, d.Xml }).FirstOrDefaultAsync(ct);
        if (definition is null) return NotFound();
        var name = definition.Version == 0 ? $"{definition.ProcessId}-draft.bpmn" : $"{definition.ProcessId}-v{definition.Version}.bpmn";
        return File(Encoding.UTF8.GetBytes(definition.Xml), "application/xml", name);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = await db.Set<WorkflowDefinition>().AsNoTracking()
            .Select(d => new { d.Id, d.ProcessId, d.Name, d.Version, d.CreatedAt, d.PublishedAt, d.ChangedBy })
            .ToListAsync(ct);
        var running = await db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.Status == InstanceStatus.Running)
            .GroupBy(i => i.DefinitionId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Processes = rows.GroupBy(r => r.ProcessId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var draft = g.FirstOrDefault(d => d.Version == 0);
            var versions = g.Where(d => d.Version > 0).OrderByDescending(d => d.Version)
                .Select(d => new VersionRow(d.Id, d.Version, d.PublishedAt, d.ChangedBy, running.GetValueOrDefault(d.Id))).ToList();
            var name = (draft ?? g.OrderByDescending(d => d.Version).First()).Name;
            return new ProcessRow(g.Key, name, versions, draft is null ? null : new DraftRow(draft.Id, draft.CreatedAt, draft.ChangedBy));
        }).ToList();
    }
}
