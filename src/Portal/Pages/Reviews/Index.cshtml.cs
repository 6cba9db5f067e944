using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Reviews;

/// <summary>Placeholder until the Reviews feature is built; the role gate is already the real one.</summary>
[Authorize(Roles = Roles.Handler)]
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
