using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Approvals;

/// <summary>Placeholder until the Approvals feature is built; the role gate is already the real one.</summary>
[Authorize(Roles = Roles.Approver)]
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
