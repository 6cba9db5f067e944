using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Admin.Users;

[Authorize(Roles = Roles.Admin)]
public sealed class CreateModel(UserManager<ApplicationUser> users, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "The {0} field is required.")]
        [EmailAddress(ErrorMessage = "The {0} field is not a valid e-mail address.")]
        [StringLength(256, ErrorMessage = "The {0} field must be at most {1} characters long.")]
        [Display(Name = "E-mail")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "The {0} field is required.")]
        [StringLength(100, ErrorMessage = "The {0} field must be at most {1} characters long.")]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessage = "The {0} field is required.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "The {0} field is required.")]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";

        public List<string> Roles { get; set; } = [];
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await UserForm.RolesAreKnownAsync(ModelState, Input.Roles, "Input.Roles", l, audit, User.Identity?.Name) || !ModelState.IsValid) return Page();

        var user = new ApplicationUser
        {
            UserName = Input.Email.Trim(),
            Email = Input.Email.Trim(),
            EmailConfirmed = true,
            DisplayName = Input.DisplayName.Trim(),
        };
        var created = await users.CreateAsync(user, Input.Password);
        if (!created.Succeeded)
        {
            UserForm.AddErrors(ModelState, created, "Input.Password", "Input.Email");
            return Page();
        }
        if (Input.Roles.Count > 0)
        {
            var roles = await users.AddToRolesAsync(user, Input.Roles.Distinct());
            if (!roles.Succeeded)
            {
                UserForm.AddErrors(ModelState, roles, "Input.Password");
                return Page();
            }
        }

        await audit.WriteAsync(AuditEvents.UserCreated, User.Identity?.Name, $"{user.Email} roles=[{string.Join(",", Input.Roles)}]");
        TempData["Message"] = l["User {0} was created.", user.Email].Value;
        return RedirectToPage("Index");
    }
}
