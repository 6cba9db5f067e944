using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Account;

[AllowAnonymous]
public sealed class LoginModel(
    SignInManager<ApplicationUser> signInManager,
    IPasswordHasher<ApplicationUser> passwordHasher,
    LoginThrottle throttle,
    IAuditLog audit,
    IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Verified against when no real password is checked, so that answer costs the same hashing as a wrong password.</summary>
    private static string? _unknownUserHash;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "The {0} field is required.")]
        [EmailAddress(ErrorMessage = "The {0} field is not a valid e-mail address.")]
        [Display(Name = "E-mail")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "The {0} field is required.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Display(Name = "Keep me signed in")]
        public bool RememberMe { get; set; }
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();

        var client = HttpContext.Connection.RemoteIpAddress;
        if (throttle.RetryAfter(client, Input.Email) is { } wait)
        {
            var minutes = (int)Math.Ceiling(wait.TotalMinutes);
            // Not audited: a refused attempt must stay cheap (no database write) while someone floods the form.
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.AddModelError(string.Empty, l["Too many failed sign-in attempts. Try again in {0} minutes.", minutes]);
            return Page();
        }

        var user = await signInManager.UserManager.FindByEmailAsync(Input.Email);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signInManager.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        // Identity checks no password for an unknown, disabled or locked-out account: do the same hash work anyway, so the
        // answer's timing does not tell which accounts exist.
        if (user is null || result.IsNotAllowed || result.IsLockedOut)
        {
            var dummy = new ApplicationUser();
            passwordHasher.VerifyHashedPassword(dummy, _unknownUserHash ??= passwordHasher.HashPassword(dummy, Guid.NewGuid().ToString()), Input.Password);
        }

        if (result.Succeeded) return LocalRedirect(Url.LocalOrHome(ReturnUrl));
        throttle.RecordFailure(client, Input.Email);

        if (result.IsLockedOut)
        {
            await audit.WriteAsync(AuditEvents.LockedOut, Input.Email, "Sign-in refused: account locked out", HttpContext.RequestAborted);
            ModelState.AddModelError(string.Empty, l["This account is locked after too many failed attempts. Try again in 15 minutes."]);
        }
        else
        {
            var reason = user is null ? "unknown user" : result.IsNotAllowed ? "account disabled" : "wrong password";
            await audit.WriteAsync(AuditEvents.LoginFailed, Input.Email, reason, HttpContext.RequestAborted);
            // One message for every other failure, so the page does not reveal which accounts exist or are disabled.
            ModelState.AddModelError(string.Empty, l["Invalid e-mail or password."]);
        }
        return Page();
    }
}
