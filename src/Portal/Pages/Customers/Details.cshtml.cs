using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Customers;

/// <summary>One customer: profile, VIP tier and value class, every complaint, the remedies delivered, compensation totals
/// and satisfaction over time.</summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor + "," + Roles.Approver + "," + Roles.Admin)]
public sealed class DetailsModel(RemediationDbContext db) : PageModel
{
    /// <summary>The history shows this many of the customer's most recent complaints.</summary>
    public const int MaxComplaints = 200;

    public Customer Customer { get; private set; } = null!;
    public IReadOnlyList<Complaint> Complaints { get; private set; } = [];
    public CustomerHistory History { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null) return NotFound();
        Customer = customer;
        Complaints = await db.Set<Complaint>().AsNoTracking().AsSplitQuery()
            .Where(c => c.CustomerId == id).OrderByDescending(c => c.CreatedAt).Take(MaxComplaints).ToListAsync(ct);
        History = customer.HistoryFrom(Complaints);
        return Page();
    }
}
