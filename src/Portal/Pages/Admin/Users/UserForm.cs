using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Admin.Users;

/// <summary>Validation shared by the user admin pages.</summary>
internal static class UserForm
{
    /// <summary>Puts each Identity error under the field it concerns, so the message appears beside that input.</summary>
    public static void AddErrors(ModelStateDictionary modelState, IdentityResult result, string passwordField, string? emailField = null)
    {
        foreach (var error in result.Errors)
        {
            var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
                : emailField is not null && error.Code is "DuplicateEmail" or "DuplicateUserName" or "InvalidEmail" or "InvalidUserName" ? emailField
                : string.Empty;
            modelState.AddModelError(field, error.Description);
        }
    }

    /// <summary>Refuses role names that are not portal roles (only a tampered form sends them): names the field and audits the attempt.</summary>
    public static async Task<bool> RolesAreKnownAsync(ModelStateDictionary modelState, IEnumerable<string> roles, string field,
        IStringLocalizer l, IAuditLog audit, string? actor)
    {
        var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
        if (unknown.Count == 0) return true;
        modelState.AddModelError(field, l["Unknown role: {0}.", string.Join(", ", unknown)]);
        await audit.WriteAsync(AuditEvents.RejectedInput, actor, $"unknown roles [{string.Join(",", unknown)}]");
        return false;
    }
}
