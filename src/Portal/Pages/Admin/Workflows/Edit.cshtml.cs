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
/// The designer (bpmn-js modeler, properties panel, live lint; ClientApp/designer.js). The page answers the script's
/// JSON calls: the document to edit with its draft token, the registries for the lint, save draft (validated, refused
/// when someone else saved in between), the changes against the current version, publish.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class EditModel(RemediationDbContext db, IWorkflowDefinitions definitions, WorkflowRegistry registry, WorkflowOptions options,
    IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record ProblemDto(string ElementId, string Severity, string Message);
    public sealed record ConflictDto(string? By, DateTime? At, string Message);
    public sealed record SaveInput(string? Xml, string? Token);
    public sealed record TokenInput(string? Token);

    [BindProperty(SupportsGet = true)] public string ProcessId { get; set; } = "";
    public string? Name { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var name = await db.Set<WorkflowDefinition>().AsNoTracking().Where(d => d.ProcessId == ProcessId)
            .OrderBy(d => d.Version == 0 ? 0 : 1).ThenByDescending(d => d.Version).Select(d => new { d.Name }).FirstOrDefaultAsync(ct);
        if (name is null) return NotFound();
        Name = name.Name;
        return Page();
    }

    /// <summary>The draft, or else the latest version, with the token a save must name.</summary>
    public async Task<IActionResult> OnGetDocumentAsync(CancellationToken ct)
    {
        var latest = await db.Set<WorkflowDefinition>().AsNoTracking().Where(d => d.ProcessId == ProcessId)
            .OrderBy(d => d.Version == 0 ? 0 : 1).ThenByDescending(d => d.Version).FirstOrDefaultAsync(ct);
        if (latest is null) return NotFound();
        return new JsonResult(new
        {
            xml = latest.Xml,
            token = latest.Version == 0 ? latest.Hash : DefinitionView.NoDraftToken(latest.Version),
            version = latest.Version,
            changedBy = latest.ChangedBy,
            changedAt = latest.PublishedAt ?? latest.CreatedAt,
        });
    }

    /// <summary>What the live lint checks names against: the portal's topics and form keys.</summary>
    public IActionResult OnGetCatalog() =>
        new JsonResult(new { topics = registry.Topics.Order(StringComparer.Ordinal), formKeys = registry.FormKeys.Order(StringComparer.Ordinal) });

    public async Task<IActionResult> OnPostSaveAsync([FromBody] SaveInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Xml) || input.Token is null) return BadRequest();
        if (input.Xml.Length > options.MaxDefinitionBytes)
            return Problems(l["The diagram is larger than the limit of {0:N0} bytes.", options.MaxDefinitionBytes], [], StatusCodes.Status422UnprocessableEntity);
        // The draft belongs to the process in the URL: a changed process id would save (and lock) another process's draft.
        if (DefinitionChanges.ProcessId(input.Xml) is { } id && id != ProcessId)
            return Problems(l["The process id must stay '{0}'; to make another process, start a new one from the workflow list.", ProcessId], [], StatusCodes.Status422UnprocessableEntity);
        var saved = await definitions.SaveDraftAsync(input.Xml, User.Identity?.Name, input.Token, ct);
        if (saved.Outcome == WorkflowOutcome.Conflict) return Conflict(saved);
        if (!saved.IsOk) return Problems(l["The diagram cannot be read."], saved.Problems, StatusCodes.Status422UnprocessableEntity);
        var problems = await definitions.ValidateAsync(input.Xml, ct);
        return new JsonResult(new { token = saved.Value!.Hash, savedAt = saved.Value.CreatedAt, problems = Dto(problems) });
    }

    /// <summary>Before publishing: the draft's problems, its changes against the latest version and the instances that stay on older versions.</summary>
    public async Task<IActionResult> OnPostChangesAsync([FromBody] TokenInput input, CancellationToken ct)
    {
        var rows = await db.Set<WorkflowDefinition>().AsNoTracking().Where(d => d.ProcessId == ProcessId)
            .OrderBy(d => d.Version == 0 ? 0 : 1).ThenByDescending(d => d.Version).Take(2).ToListAsync(ct);
        var draft = rows.FirstOrDefault(r => r.Version == 0);
        if (draft is null && rows.FirstOrDefault() is { } latest && input.Token == DefinitionView.NoDraftToken(latest.Version))
            return Problems(l["There is no draft to publish; save the diagram first."], [], StatusCodes.Status422UnprocessableEntity);
        if (draft is null || draft.Hash != input.Token)
            return Conflict(WorkflowResult.Conflicted(l["Someone else changed this draft since you opened it; reload to see their changes."], rows.FirstOrDefault() is { } last ? new(last.ChangedBy, last.PublishedAt ?? last.CreatedAt) : null));
        var current = rows.FirstOrDefault(r => r.Version > 0);
        var changes = DefinitionChanges.Between(current?.Xml, draft.Xml);
        var running = await db.Set<WorkflowInstance>().AsNoTracking()
            .CountAsync(i => i.Status == InstanceStatus.Running && i.ProcessId == ProcessId, ct);
        var problems = await definitions.ValidateAsync(draft.Xml, ct);
        return new JsonResult(new
        {
            currentVersion = current?.Version,
            nextVersion = (current?.Version ?? 0) + 1,
            changes.Added, changes.Removed, changes.Changed,
            running,
            problems = Dto(problems),
        });
    }

    public async Task<IActionResult> OnPostPublishAsync([FromBody] TokenInput input, CancellationToken ct)
    {
        if (input.Token is null) return BadRequest();
        var user = User.Identity?.Name;
        var published = await definitions.PublishAsync(ProcessId, user, input.Token, ct, (context, _) =>
        {
            audit.Add(context, AuditEvents.WorkflowPublished, user, ProcessId);
            return Task.CompletedTask;
        });
        return published.Outcome switch
        {
            WorkflowOutcome.Ok => new JsonResult(new { version = published.Value!.Version, token = DefinitionView.NoDraftToken(published.Value.Version), problems = Dto(published.Problems) }),
            WorkflowOutcome.Conflict => Conflict(published),
            WorkflowOutcome.NotFound => Problems(l["There is no draft to publish; save the diagram first."], [], StatusCodes.Status422UnprocessableEntity),
            _ => Problems(l["The draft has problems; fix them and publish again."], published.Problems, StatusCodes.Status422UnprocessableEntity),
        };
    }

    private JsonResult Conflict(WorkflowResult result)
    {
        var by = result.Conflict?.ActedBy ?? l["the system"].Value;
        var at = result.Conflict?.ActedAt;
        var message = at is null
            ? l["Refused: someone else changed this process since you opened it. Reload to see their changes."].Value
            : l["Refused: {0} changed this process at {1} UTC since you opened it. Reload to see their changes; your edits are not saved.", by, at.Value.ToString("yyyy-MM-dd HH:mm:ss")].Value;
        return new JsonResult(new { conflict = new ConflictDto(result.Conflict?.ActedBy, at, message) }) { StatusCode = StatusCodes.Status409Conflict };
    }

    private static JsonResult Problems(string message, IReadOnlyList<ValidationProblem> problems, int status) =>
        new(new { message, problems = Dto(problems) }) { StatusCode = status };

    private static IEnumerable<ProblemDto> Dto(IEnumerable<ValidationProblem> problems) =>
        problems.Select(p => new ProblemDto(p.ElementId, p.IsError ? "error" : "warning", p.Message));
}
