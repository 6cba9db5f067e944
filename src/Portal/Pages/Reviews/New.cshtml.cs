using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Reviews;

namespace Remediation.Portal.Pages.Reviews;

/// <summary>A review typed in by hand (a platform without an export): the same intake and checks as the API.</summary>
[Authorize(Roles = Roles.Handler)]
public sealed class NewModel(ReviewIntake intake, ReviewOptions options, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public ReviewInput Input { get; set; } = new();
    public IReadOnlyList<string> Platforms => options.Catalogue().Platforms;

    public void OnGet() => Input.PostedAt = clock.GetLocalNow();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await intake.ReceiveAsync(Input, User.ToWorkflowUser().Id, ct);
        if (result.Outcome == ReviewIntakeOutcome.Invalid)
        {
            foreach (var e in result.Errors!)
                ModelState.AddModelError("Input." + string.Join('.', e.Field.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
                    l[e.Message, e.Arguments.Select(a => a is string s ? l[s].Value : a).ToArray()].Value);
            return Page();
        }
        TempData["Flash"] = result.Outcome == ReviewIntakeOutcome.Created
            ? l["The review was saved."].Value
            : l["This review was already received; nothing was changed."].Value;
        return RedirectToPage("/Reviews/Review", new { id = result.ReviewId });
    }
}
