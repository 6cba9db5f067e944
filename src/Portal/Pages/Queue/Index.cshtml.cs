using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Queue;

/// <summary>Placeholder until the Queue feature is built; the role gate is already the real one.</summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor)]
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
