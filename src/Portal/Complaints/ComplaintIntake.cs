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
public sealed class ComplaintIntake(RemediationDbContext db, IWorkflowRuntime runtime, IWriteGate writer, ServiceLevelPolicy serviceLevels, TimeProvider clock)
{
    public static IReadOnlyList<FieldError> Validate(IntakeRequest r)
    {
        var errors = new List<FieldError>();
        Required(errors, nameof(r.ContactName), r.ContactName, 200);
        if (string.IsNullOrWhiteSpace(r.Phone)) errors.Add(new(nameof(r.Phone), "Phone is required."));
        else if (!PlainText.IsClean(r.Phone, multiLine: false)) errors.Add(new(nameof(r.Phone), ControlCharacters, nameof(r.Phone)));
        else
            try { PhoneNumber.Parse(r.Phone); }
            catch (DomainException) { errors.Add(new(nameof(r.Phone), "Phone must be 5 to 20 digits, optionally starting with +.")); }
        if (!PlainText.IsClean(r.Email, multiLine: false)) errors.Add(new(nameof(r.Email), ControlCharacters, nameof(r.Email)));
        else if (!string.IsNullOrWhiteSpace(r.Email))
            try { Customer.ValidEmail(r.Email); }
            catch (DomainException) { errors.Add(new(nameof(r.Email), "E-mail is not a valid e-mail address.")); }
        Optional(errors, nameof(r.Goods), r.Goods, 500);
        Optional(errors, nameof(r.OrderReference), r.OrderReference, 64);
        Optional(errors, nameof(r.PickupAddress), r.PickupAddress, 500, multiLine: true);
        Optional(errors, nameof(r.DeliveryAddress), r.DeliveryAddress, 500, multiLine: true);
        Required(errors, nameof(r.Account), r.Account, 4000, multiLine: true);
        if (!Enum.IsDefined(r.Channel)) errors.Add(NotAChoice(nameof(r.Channel)));
        if (!Enum.IsDefined(r.Category)) errors.Add(NotAChoice(nameof(r.Category)));
        if (!Enum.IsDefined(r.Severity)) errors.Add(NotAChoice(nameof(r.Severity)));
        if (r.VipTier is { } t && !Enum.IsDefined(t)) errors.Add(NotAChoice(nameof(r.VipTier)));
        if (r.Personality is { } p && !Enum.IsDefined(p)) errors.Add(NotAChoice(nameof(r.Personality)));
        return errors;
    }

    /// <summary>The error for a choice field whose value is not one of its options (never silently replaced by a default).</summary>
    public static FieldError NotAChoice(string field) => field switch
    {
        nameof(IntakeRequest.Channel) => new(field, "Choose a channel."),
        nameof(IntakeRequest.Category) => new(field, "Choose a category."),
        nameof(IntakeRequest.Severity) => new(field, "Choose a severity."),
        nameof(IntakeRequest.VipTier) => new(field, "Choose a VIP tier."),
        nameof(IntakeRequest.Personality) => new(field, "Choose a personality type."),
        _ => new(field, "{0} is not valid.", field),
    };

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

    /// <summary>
    /// Saves and starts the complaint. The reference comes from the year's counter (<see cref="ComplaintReferences"/>), so
    /// concurrent intakes never collide. Unless <paramref name="allowDuplicate"/>, the duplicate check is repeated inside
    /// the start transaction against the phone and order's <see cref="IntakeDuplicateKey"/>: of identical intakes arriving
    /// at once exactly one is created, and the others are answered with it.
    /// </summary>
    public async Task<IntakeResult> ReceiveAsync(IntakeRequest r, string userId, bool allowDuplicate, CancellationToken ct)
    {
        if (Validate(r) is { Count: > 0 } errors) return new(IntakeOutcome.Invalid, Errors: errors);
        var phone = PhoneNumber.Parse(r.Phone);
        var duplicateKey = IntakeDuplicateKey.For(phone, r.OrderReference);
        for (var attempt = 1; ; attempt++)
        {
            // Read first: without a race this answers with every candidate and spends no reference.
            if (!allowDuplicate && await FindDuplicatesAsync(r, ct) is { Count: > 0 } duplicates)
                return new(IntakeOutcome.PossibleDuplicate, Duplicates: duplicates);

            var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Phone == phone, ct);
            var isNew = customer is null;
            customer ??= Customer.Register(r.ContactName!, r.Phone!, r.Email);
            if (r.VipTier is { } tier) customer.ChangeVipTier(tier);
            if (r.Personality is { } personality) customer.UpdateProfile(personality, customer.BuyingBehaviour, customer.ValueClass);

            var contact = IntakeContact.Create(r.ContactName!, r.Phone!, r.Goods, r.OrderReference, r.PickupAddress, r.DeliveryAddress);
            var now = clock.GetUtcNow();
            var reference = await ComplaintReferences.NextAsync(db, writer, now, ct);
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
                    async (engineDb, token) =>
                    {
                        if (duplicateKey is not null && !await TakeDuplicateKeyAsync(engineDb, duplicateKey, complaint, allowDuplicate, token))
                            throw new DuplicateIntakeException();
                        if (isNew) engineDb.Add(saveCustomer);
                        else engineDb.Update(saveCustomer);
                        engineDb.Add(complaint);
                    });
                if (started.IsOk) return new(IntakeOutcome.Created, complaint.Id, reference.ToString());
                // A conflict is a concurrent intake that moved the duplicate key first: check again.
                if (started.Outcome != WorkflowOutcome.Conflict || attempt >= MaxAttempts)
                    throw new InvalidOperationException($"Starting {ComplaintProcess.ProcessId} failed: {started.Message}");
            }
            catch (DuplicateIntakeException) when (attempt < MaxAttempts)
            {
                // Another intake of this phone and order committed first; the next round's check names it.
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // A concurrent intake inserted the same duplicate key or registered the same customer: read them again.
            }
        }
    }

    private const int MaxAttempts = 5;

    /// <summary>Thrown inside the start transaction (rolling it back) when a recent complaint holds the duplicate key.</summary>
    private sealed class DuplicateIntakeException : Exception;

    /// <summary>
    /// Points the phone and order's key at <paramref name="complaint"/>; false when a complaint within
    /// <see cref="Complaint.DuplicateWindow"/> holds it and duplicates are not allowed. Runs in the start transaction: the
    /// key's primary key (a concurrent insert) and its <see cref="IntakeDuplicateKey.ComplaintId"/> token (a concurrent
    /// move) make a racing intake fail at commit instead of creating a second complaint.
    /// </summary>
    private static async Task<bool> TakeDuplicateKeyAsync(DbContext db, string key, Complaint complaint, bool allowDuplicate, CancellationToken ct)
    {
        var held = await db.Set<IntakeDuplicateKey>().FirstOrDefaultAsync(k => k.Key == key, ct);
        if (held is null)
        {
            db.Add(new IntakeDuplicateKey { Key = key, ComplaintId = complaint.Id, Reference = complaint.Reference.ToString(), ReceivedAt = complaint.CreatedAt });
            return true;
        }
        if (!allowDuplicate && held.ReceivedAt >= complaint.CreatedAt - Complaint.DuplicateWindow) return false;
        held.ComplaintId = complaint.Id;
        held.Reference = complaint.Reference.ToString();
        held.ReceivedAt = complaint.CreatedAt;
        return true;
    }

    /// <summary>The domain's message for text with control characters (tabs and line breaks only in multi-line fields).</summary>
    private const string ControlCharacters = DomainMessages.ControlCharacters;

    private static void Required(List<FieldError> errors, string field, string? value, int max, bool multiLine = false)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(field, "{0} is required.", field));
        else Optional(errors, field, value, max, multiLine);
    }

    private static void Optional(List<FieldError> errors, string field, string? value, int max, bool multiLine = false)
    {
        if (value is null) return;
        if (value.Trim().Length > max) errors.Add(new(field, "{0} must be at most {1} characters.", field, max));
        else if (!PlainText.IsClean(value.Trim(), multiLine)) errors.Add(new(field, ControlCharacters, field));
    }
}
