using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Remediation.Domain.Reviews;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Reviews;
using Remediation.Workflows;

namespace Remediation.Portal.Pages.Reviews;

/// <summary>The review queue: open reviews, the reply due soonest first; filters and search; paged on the server.</summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor)]
public sealed class IndexModel(ReviewQueue queue, ReviewOptions options, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Platform { get; set; }
    [BindProperty(SupportsGet = true)] public int? Rating { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Page<ReviewRow> Rows { get; private set; } = new([], 1, ReviewQueue.PageSize, false);
    public IReadOnlyList<string> Platforms => options.Catalogue().Platforms;
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReviewStatus? status = Enum.TryParse<ReviewStatus>(Status, out var s) && Enum.IsDefined(s) ? s : null;
        var filter = new ReviewFilter(Platforms.Contains(Platform) ? Platform : null, Rating is >= 1 and <= 5 ? Rating : null, status,
            ClosedToo: Status == "all", Overdue, Mine, Q);
        Rows = await queue.ListAsync(User.ToWorkflowUser().Id, filter, PageNumber, ct);
    }

    /// <summary>The current filters with another page number, for the paging links.</summary>
    public Dictionary<string, string> RouteFor(int page) => new()
    {
        ["platform"] = Platform ?? "", ["rating"] = Rating?.ToString() ?? "", ["status"] = Status ?? "", ["overdue"] = Overdue ? "true" : "",
        ["mine"] = Mine ? "true" : "", ["q"] = Q ?? "", ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
