using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Remediation.Portal.Inbox;

namespace Remediation.Portal.Pages.Inbox;

/// <summary>The signed-in user's notifications, newest first; unread ones are marked, and can be marked read.</summary>
[Authorize]
public sealed class IndexModel(StaffInbox inbox) : PageModel
{
    public IReadOnlyList<StaffNotification> Entries { get; private set; } = [];

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    public async Task OnGetAsync(CancellationToken ct) => Entries = await inbox.LatestAsync(UserId, ct);

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await inbox.MarkAllReadAsync(UserId, ct);
        return RedirectToPage();
    }
}
