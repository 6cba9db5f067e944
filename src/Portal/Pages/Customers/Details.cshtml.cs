using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.Reviews;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Customers;

/// <summary>One customer: profile (editable by handlers and supervisors), VIP tier and value class, every complaint and
/// review, the remedies delivered, compensation totals and satisfaction over time.</summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor + "," + Roles.Approver + "," + Roles.Admin)]
public sealed class DetailsModel(RemediationDbContext db, IAuditLog audit) : PageModel
{
    /// <summary>The history shows this many of the customer's most recent complaints, and as many reviews.</summary>
    public const int MaxComplaints = 200;

    /// <summary>Who may change a customer's profile: the people who talk to customers.</summary>
    public const string ProfileEditors = Roles.Handler + "," + Roles.Supervisor + "," + Roles.Admin;

    /// <summary>The profile form (POST <c>?handler=Profile</c>).</summary>
    public sealed class ProfileInput
    {
        public PersonalityType? Personality { get; set; }
        public BuyingBehaviour? BuyingBehaviour { get; set; }
        public ValueClass? ValueClass { get; set; }
        public VipTier VipTier { get; set; }
    }

    public sealed record ReviewRow(Guid Id, string Platform, string ExternalId, int Rating, ReviewStatus Status, ReviewOutcome? Outcome,
        DateTimeOffset PostedAt, string Text);

    public Customer Customer { get; private set; } = null!;
    public IReadOnlyList<Complaint> Complaints { get; private set; } = [];
    public IReadOnlyList<ReviewRow> Reviews { get; private set; } = [];
    public CustomerHistory History { get; private set; } = null!;
    [BindProperty] public ProfileInput Profile { get; set; } = new();
    [TempData] public bool Saved { get; set; }
    public bool MayEditProfile => ProfileEditors.Split(',').Any(User.IsInRole);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null) return NotFound();
        await LoadAsync(customer, ct);
        Profile = new ProfileInput
        {
            Personality = customer.Personality, BuyingBehaviour = customer.BuyingBehaviour,
            ValueClass = customer.ValueClass, VipTier = customer.VipTier,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync(Guid id, CancellationToken ct)
    {
        if (!MayEditProfile)
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, User.Identity?.Name, $"customer {id}: profile change by a user without a handler, supervisor or admin role", ct);
            return Forbid();
        }
        var customer = await db.Set<Customer>().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null) return NotFound();
        if (!ModelState.IsValid)
        {
            await LoadAsync(customer, ct);
            return Page();
        }
        var before = Describe(customer.Personality, customer.BuyingBehaviour, customer.ValueClass, customer.VipTier);
        customer.UpdateProfile(Profile.Personality, Profile.BuyingBehaviour, Profile.ValueClass);
        customer.ChangeVipTier(Profile.VipTier);
        var after = Describe(Profile.Personality, Profile.BuyingBehaviour, Profile.ValueClass, Profile.VipTier);
        if (before != after)
        {
            audit.Add(db, AuditEvents.CustomerProfileChanged, User.Identity?.Name, $"customer {id}: {before} → {after}");
            await db.SaveChangesAsync(ct);
        }
        Saved = true;
        return RedirectToPage(new { id });
    }

    private static string Describe(PersonalityType? p, BuyingBehaviour? b, ValueClass? v, VipTier t) =>
        $"personality {p?.ToString() ?? "-"}, buying {b?.ToString() ?? "-"}, value {v?.ToString() ?? "-"}, VIP {t}";

    private async Task LoadAsync(Customer customer, CancellationToken ct)
    {
        Customer = customer;
        Complaints = await db.Set<Complaint>().AsNoTracking().AsSplitQuery()
            .Where(c => c.CustomerId == customer.Id).OrderByDescending(c => c.CreatedAt).Take(MaxComplaints).ToListAsync(ct);
        Reviews = await db.Set<Review>().AsNoTracking().Where(r => r.CustomerId == customer.Id)
            .OrderByDescending(r => r.PostedAt).Take(MaxComplaints)
            .Select(r => new ReviewRow(r.Id, r.Platform, r.ExternalId, r.Rating, r.Status, r.Outcome, r.PostedAt, r.Text)).ToListAsync(ct);
        History = customer.HistoryFrom(Complaints);
    }
}
