using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Admin.Users;

/// <summary>Sets a new password chosen by the admin and lifts any lockout.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class ResetPasswordModel(UserManager<ApplicationUser> users, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string Email { get; private set; } = "";

    public sealed class InputModel
    {
        [Required(ErrorMessage = "The {0} field is required.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "The {0} field is required.")]
        [DataType(DataType.Password)]
        [Compare(nameof(NewPassword), ErrorMessage = "The passwords do not match.")]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return NotFound();
        Email = user.Email ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return NotFound();
        Email = user.Email ?? "";
        if (!ModelState.IsValid) return Page();

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, Input.NewPassword);
        if (!reset.Succeeded)
        {
            UserForm.AddErrors(ModelState, reset, "Input.NewPassword");
            return Page();
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);

        await audit.WriteAsync(AuditEvents.PasswordReset, User.Identity?.Name, user.Email);
        TempData["Message"] = l["The password of {0} was reset.", Email].Value;
        return RedirectToPage("Index");
    }
}
