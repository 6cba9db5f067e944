using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain.Replies;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Admin.Replies;

/// <summary>The canned replies, filtered by step and language; each can be edited or deleted.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(RemediationDbContext db, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public ReplyStep? Step { get; set; }
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }

    public IReadOnlyList<ReplyTemplate> Templates { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Set<ReplyTemplate>().AsNoTracking();
        if (Step is { } step) query = query.Where(t => t.Step == step);
        if (Language is { Length: > 0 } language) query = query.Where(t => t.Language == language);
        Templates = [.. (await query.ToListAsync(ct)).OrderBy(t => t.Step).ThenBy(t => t.Language, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.CurrentCulture)];
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var template = await db.Set<ReplyTemplate>().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return NotFound();
        db.Remove(template);
        audit.Add(db, AuditEvents.ReplyTemplateDeleted, User.Identity?.Name, $"{template.Step} {template.Language} \"{template.Name}\": {template.Text}");
        await db.SaveChangesAsync(ct);
        TempData["Message"] = l["Canned reply “{0}” was deleted.", template.Name].Value;
        return RedirectToPage(new { Step, Language });
    }
}
