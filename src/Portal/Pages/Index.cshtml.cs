using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages;

public sealed class IndexModel : PageModel
{
    public string DisplayName { get; private set; } = "";

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public void OnGet()
    {
        DisplayName = User.FindFirstValue(PortalClaims.DisplayName) ?? User.Identity?.Name ?? "";
        Roles = [.. Data.Roles.All.Where(User.IsInRole)];
    }
}
