using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.ServiceLevels;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Complaints;

/// <summary>What the phone script (and the JSON intake) collects. Field names are the ones errors are reported under.</summary>
public sealed class IntakeRequest
{
    public string? ContactName { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Goods { get; set; }
    public string? OrderReference { get; set; }
    public string? PickupAddress { get; set; }
    public string? DeliveryAddress { get; set; }
    public ComplaintChannel Channel { get; set; } = ComplaintChannel.Phone;
    public ComplaintCategory Category { get; set; } = ComplaintCategory.Other;
    public ComplaintSeverity Severity { get; set; } = ComplaintSeverity.Medium;
    /// <summary>The customer's account in their own words.</summary>
    public string? Account { get; set; }
    /// <summary>Applied to a new customer's profile (an existing customer keeps theirs unless given).</summary>
    public VipTier? VipTier { get; set; }
    public PersonalityType? Personality { get; set; }
}

/// <summary>A field that failed validation; <see cref="Message"/> is an English resource key with <see cref="Arguments"/>.</summary>
public sealed record FieldError(string Field, string Message, params object[] Arguments);

public sealed record DuplicateCandidate(Guid Id, string Reference, DateTimeOffset CreatedAt, string Step);

public enum IntakeOutcome { Created, Invalid, PossibleDuplicate }

public sealed record IntakeResult(IntakeOutcome Outcome, Guid? ComplaintId = null, string? Reference = null,
    IReadOnlyList<FieldError>? Errors = null, IReadOnlyList<DuplicateCandidate>? Duplicates = null);

/// <summary>
/// Receives a complaint: validates every field, offers likely duplicates (same phone and order within 7 days),
/// then saves the customer and the complaint in the same transaction that starts its process.
/// </summary>
public sealed class ComplaintIntake(RemediationDbContext db, IWorkflowRuntime runtime, ServiceLevelPolicy serviceLevels, TimeProvider clock)
{
    public static IReadOnlyList<FieldError> Validate(IntakeRequest r)
    {
        var errors = new List<FieldError>();
        Required(errors, nameof(r.ContactName), r.ContactName, 200);
        if (string.IsNullOrWhiteSpace(r.Phone)) errors.Add(new(nameof(r.Phone), "Phone is required."));
        else
            try { PhoneNumber.Parse(r.Phone); }
            catch (DomainException) { errors.Add(new(nameof(r.Phone), "Phone must be 5 to 20 digits, optionally starting with +.")); }
        if (!string.IsNullOrWhiteSpace(r.Email))
            try { Customer.Register("x", "12345", r.Email); }
            catch (DomainException) { errors.Add(new(nameof(r.Email), "E-mail is not a valid e-mail address.")); }
        Optional(errors, nameof(r.Goods), r.Goods, 500);
        Optional(errors, nameof(r.OrderReference), r.OrderReference, 64);
        Optional(errors, nameof(r.PickupAddress), r.PickupAddress, 500);
        Optional(errors, nameof(r.DeliveryAddress), r.DeliveryAddress, 500);
        Required(errors, nameof(r.Account), r.Account, 4000);
        if (!Enum.IsDefined(r.Channel)) errors.Add(new(nameof(r.Channel), "Choose a channel."));
        if (!Enum.IsDefined(r.Category)) errors.Add(new(nameof(r.Category), "Choose a category."));
        if (!Enum.IsDefined(r.Severity)) errors.Add(new(nameof(r.Severity), "Choose a severity."));
        if (r.VipTier is { } t && !Enum.IsDefined(t)) errors.Add(new(nameof(r.VipTier), "Choose a VIP tier."));
        if (r.Personality is { } p && !Enum.IsDefined(p)) errors.Add(new(nameof(r.Personality), "Choose a personality type."));
        return errors;
    }

    /// <summary>Open or recent complaints from the same phone about the same order within <see cref="Complaint.DuplicateWindow"/>.</summary>
    public async Task<IReadOnlyList<DuplicateCandidate>> FindDuplicatesAsync(IntakeRequest r, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.OrderReference) || string.IsNullOrWhiteSpace(r.Phone)) return [];
        var phone = PhoneNumber.Parse(r.Phone);
        var order = r.OrderReference.Trim();
        var since = clock.GetUtcNow() - Complaint.DuplicateWindow;
        var rows = await db.Set<Complaint>().AsNoTracking()
            .Where(c => c.Contact.Phone == phone && c.Contact.OrderReference == order && c.CreatedAt >= since)
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => new { c.Id, c.Reference, c.CreatedAt, c.Step })
            .Take(10).ToListAsync(ct);
        return rows.Select(c => new DuplicateCandidate(c.Id, c.Reference.ToString(), c.CreatedAt, c.Step.ToString())).ToList();
    }

    public async Task<IntakeResult> ReceiveAsync(IntakeRequest r, string userId, bool allowDuplicate, CancellationToken ct)
    {
        if (Validate(r) is { Count: > 0 } errors) return new(IntakeOutcome.Invalid, Errors: errors);
        if (!allowDuplicate && await FindDuplicatesAsync(r, ct) is { Count: > 0 } duplicates)
            return new(IntakeOutcome.PossibleDuplicate, Duplicates: duplicates);

        var phone = PhoneNumber.Parse(r.Phone);
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Phone == phone, ct);
        var isNew = customer is null;
        customer ??= Customer.Register(r.ContactName!, r.Phone!, r.Email);
        if (r.VipTier is { } tier) customer.ChangeVipTier(tier);
        if (r.Personality is { } personality) customer.UpdateProfile(personality, customer.BuyingBehaviour, customer.ValueClass);
        var contact = IntakeContact.Create(r.ContactName!, r.Phone!, r.Goods, r.OrderReference, r.PickupAddress, r.DeliveryAddress);

        // The unique reference index settles a race between two intakes; the loser takes the next number.
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var latest = await db.Set<Complaint>().AsNoTracking()
                .Where(c => c.CreatedAt >= new DateTimeOffset(now.Year, 1, 1, 0, 0, 0, TimeSpan.Zero))
                .OrderByDescending(c => c.Reference).Select(c => c.Reference).FirstOrDefaultAsync(ct);
            var reference = ComplaintReference.Next(latest, now);
            var complaint = Complaint.Receive(reference, customer.Id, r.Channel, r.Category, r.Severity, r.Account!, contact, userId, now);
            var variables = new Dictionary<string, object?>
            {
                ["complaintId"] = complaint.Id.ToString(),
                ["complaintReference"] = reference.ToString(),
                ["vipTier"] = customer.VipTier.ToString(),
            };
            foreach (var (name, value) in serviceLevels.For(customer.VipTier).ToProcessVariables()) variables[name] = value;

            var saveCustomer = customer;
            try
            {
                var started = await runtime.StartAsync(
                    new StartProcess(ComplaintProcess.ProcessId, reference.ToString(), variables, reference.ToString(), userId),
                    ct,
                    async (engineDb, _) =>
                    {
                        if (isNew) engineDb.Add(saveCustomer);
                        else engineDb.Update(saveCustomer);
                        engineDb.Add(complaint);
                        await Task.CompletedTask;
                    });
                if (!started.IsOk) throw new InvalidOperationException($"Starting {ComplaintProcess.ProcessId} failed: {started.Message}");
                return new(IntakeOutcome.Created, complaint.Id, reference.ToString());
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                if (isNew && await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Phone == phone, ct) is { } existing)
                {
                    customer = existing;
                    isNew = false;
                }
            }
        }
    }

    private static void Required(List<FieldError> errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(field, "{0} is required.", field));
        else Optional(errors, field, value, max);
    }

    private static void Optional(List<FieldError> errors, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max) errors.Add(new(field, "{0} must be at most {1} characters.", field, max));
    }
}
