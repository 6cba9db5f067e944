using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Admin.Users;

/// <summary>Display name, roles and the disabled flag of one user. An admin can't disable or demote themself.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class EditModel(UserManager<ApplicationUser> users, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string Email { get; private set; } = "";

    public sealed class InputModel
    {
        [Required(ErrorMessage = "The {0} field is required.")]
        [StringLength(100, ErrorMessage = "The {0} field must be at most {1} characters long.")]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        public List<string> Roles { get; set; } = [];

        [Display(Name = "Disabled (cannot sign in)")]
        public bool IsDisabled { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return NotFound();
        Email = user.Email ?? "";
        Input = new InputModel
        {
            DisplayName = user.DisplayName,
            Roles = [.. await users.GetRolesAsync(user)],
            IsDisabled = user.IsDisabled,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return NotFound();
        Email = user.Email ?? "";

        var self = user.Id == users.GetUserId(User);
        if (self && Input.IsDisabled)
            ModelState.AddModelError("Input.IsDisabled", l["You can't disable your own account."]);
        if (self && !Input.Roles.Contains(Roles.Admin))
            ModelState.AddModelError("Input.Roles", l["You can't remove the Admin role from your own account."]);
        if (!await UserForm.RolesAreKnownAsync(ModelState, Input.Roles, "Input.Roles", l, audit, User.Identity?.Name) || !ModelState.IsValid) return Page();

        var wasDisabled = user.IsDisabled;
        user.DisplayName = Input.DisplayName.Trim();
        user.IsDisabled = Input.IsDisabled;
        var current = await users.GetRolesAsync(user);
        var results = new[]
        {
            await users.UpdateAsync(user),
            await users.RemoveFromRolesAsync(user, current.Except(Input.Roles)),
            await users.AddToRolesAsync(user, Input.Roles.Distinct().Except(current)),
            // A new stamp signs the user out everywhere at the next cookie check, so role changes and disabling bite quickly.
            await users.UpdateSecurityStampAsync(user),
        };
        foreach (var failed in results.Where(r => !r.Succeeded))
        {
            UserForm.AddErrors(ModelState, failed, "Input.DisplayName");
        }
        if (!ModelState.IsValid) return Page();

        await audit.WriteAsync(AuditEvents.UserChanged, User.Identity?.Name,
            $"{user.Email} roles=[{string.Join(",", Input.Roles)}] disabled={user.IsDisabled} (was {wasDisabled})");
        TempData["Message"] = l["User {0} was saved.", Email].Value;
        return RedirectToPage("Index");
    }
}
