using Microsoft.AspNetCore.Identity;

namespace Remediation.Portal.Data;

/// <summary>A member of staff. Roles come from <see cref="Roles"/>.</summary>
public class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled user cannot sign in; their history stays.</summary>
    public bool IsDisabled { get; set; }
}
