using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Domain.Replies;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Admin.Replies;

/// <summary>
/// Creates (no id) or edits one canned reply. The domain checks the text (required, at most 1,000 characters, only the
/// known placeholders); the page adds that a name is used once per step and language.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class EditModel(RemediationDbContext db, IAuditLog audit, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool IsNew { get; private set; }

    public sealed class InputModel
    {
        public ReplyStep Step { get; set; }
        public string Language { get; set; } = "en";
        public string? Name { get; set; }
        public string? Text { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid? id, ReplyStep? step, CancellationToken ct)
    {
        IsNew = id is null;
        if (id is null)
        {
            Input = new InputModel { Step = step ?? ReplyStep.Apologise, Language = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh") ? "zh-Hans" : "en" };
            return Page();
        }
        var template = await db.Set<ReplyTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return NotFound();
        Input = new InputModel { Step = template.Step, Language = template.Language, Name = template.Name, Text = template.Text };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        IsNew = id is null;
        var template = id is null ? null : await db.Set<ReplyTemplate>().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (id is not null && template is null) return NotFound();
        if (!ModelState.IsValid) return Page();
        var before = template is null ? null : $"{template.Step} {template.Language} \"{template.Name}\": {template.Text}";
        try
        {
            if (template is null)
            {
                template = ReplyTemplate.Create(Input.Step, Input.Language, Input.Name!, Input.Text!, User.Identity?.Name ?? "", clock.GetUtcNow());
                db.Add(template);
            }
            else template.Change(Input.Step, Input.Language, Input.Name!, Input.Text!, User.Identity?.Name ?? "", clock.GetUtcNow());
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(FieldOf(e), l.Translate(e));
            return Page();
        }
        var (step, language, name, templateId) = (template.Step, template.Language, template.Name, template.Id);
        if (await db.Set<ReplyTemplate>().AnyAsync(t => t.Step == step && t.Language == language && t.Name == name && t.Id != templateId, ct))
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.Name)}", l["A canned reply named “{0}” already exists for this step and language.", name].Value);
            return Page();
        }
        audit.Add(db, AuditEvents.ReplyTemplateChanged, User.Identity?.Name,
            $"{(before is null ? "created" : "was " + before + "; now")} {step} {language} \"{name}\": {template.Text}");
        await db.SaveChangesAsync(ct);
        TempData["Message"] = l["Canned reply “{0}” was saved.", name].Value;
        return RedirectToPage("Index");
    }

    /// <summary>The input field a refusal is about: the name, the step, the language, else the text.</summary>
    private static string FieldOf(DomainException e)
    {
        var field = e.Arguments.OfType<DomainText>().Select(t => t.English).FirstOrDefault();
        return $"{nameof(Input)}." + field switch
        {
            DomainFields.Name => nameof(InputModel.Name),
            DomainFields.Step => nameof(InputModel.Step),
            DomainFields.Language => nameof(InputModel.Language),
            _ => nameof(InputModel.Text),
        };
    }
}
