using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Customers;
using Remediation.Domain.Reviews;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Reviews;

/// <summary>The buyer as the platform knows them.</summary>
public sealed class ReviewCustomerInput
{
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? PlatformBuyerId { get; set; }
}

/// <summary>One review as the form, the JSON API and a CSV row give it. Field names are the ones errors are reported under.</summary>
public sealed class ReviewInput
{
    public string? Platform { get; set; }
    public string? ExternalId { get; set; }
    public int? Rating { get; set; }
    public string? Text { get; set; }
    public DateTimeOffset? PostedAt { get; set; }
    public string? OrderReference { get; set; }
    public string? Language { get; set; }
    public ReviewCustomerInput Customer { get; set; } = new();
}

public enum ReviewIntakeOutcome { Created, Existing, Invalid }

public sealed record ReviewIntakeResult(ReviewIntakeOutcome Outcome, Guid? ReviewId = null, IReadOnlyList<FieldError>? Errors = null);

/// <summary>
/// Receives a review: validates every field, answers an already known platform + external id with the existing review
/// (nothing changed), matches the customer (phone, then e-mail, then the platform's buyer id), and saves the review in
/// the same transaction that starts its <c>review-remediation</c> process.
/// </summary>
public sealed class ReviewIntake(RemediationDbContext db, IWorkflowRuntime runtime, ReviewOptions options, TimeProvider clock)
{
    /// <summary>Field errors (camelCase names, <c>customer.phone</c> for the buyer's fields); empty when the input is valid.</summary>
    public static IReadOnlyList<FieldError> Validate(ReviewInput r, ReviewCatalogue catalogue, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(r.Platform)) errors.Add(new("platform", "{0} is required.", ReviewFields.Platform));
        else if (!catalogue.Platforms.Any(p => string.Equals(p, r.Platform.Trim(), StringComparison.OrdinalIgnoreCase)))
            errors.Add(new("platform", "Platform must be one of: {0}.", string.Join(", ", catalogue.Platforms)));
        Text(errors, "externalId", ReviewFields.ExternalId, r.ExternalId, 100, required: true);
        if (r.Rating is null) errors.Add(new("rating", "{0} is required.", "Rating"));
        else if (r.Rating is < 1 or > 5) errors.Add(new("rating", ReviewMessages.RatingRange, r.Rating));
        Text(errors, "text", ReviewFields.Text, r.Text, 4000, required: true, multiLine: true);
        if (r.PostedAt is null) errors.Add(new("postedAt", "{0} is required.", "Posted at"));
        else if (r.PostedAt > now.AddMinutes(5)) errors.Add(new("postedAt", ReviewMessages.PostedInFuture));
        Text(errors, "orderReference", ReviewFields.OrderReference, r.OrderReference, 64);
        Text(errors, "language", ReviewFields.Language, r.Language, 16);
        var c = r.Customer;
        Text(errors, "customer.name", ReviewFields.BuyerName, c.Name, 200);
        Text(errors, "customer.platformBuyerId", ReviewFields.PlatformBuyerId, c.PlatformBuyerId, 100);
        if (!string.IsNullOrWhiteSpace(c.Phone))
            try { PhoneNumber.Parse(c.Phone); }
            catch (DomainException) { errors.Add(new("customer.phone", "Phone must be 5 to 20 digits, optionally starting with +.")); }
        if (!string.IsNullOrWhiteSpace(c.Email))
            try { Domain.Customers.Customer.ValidEmail(c.Email); }
            catch (DomainException) { errors.Add(new("customer.email", "E-mail is not a valid e-mail address.")); }
        return errors;
    }

    private static void Text(List<FieldError> errors, string field, string label, string? value, int max, bool required = false, bool multiLine = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors.Add(new(field, "{0} is required.", label));
            return;
        }
        if (value.Trim().Length > max) errors.Add(new(field, "{0} must be at most {1} characters.", label, max));
        else if (!PlainText.IsClean(value.Trim(), multiLine)) errors.Add(new(field, DomainMessages.ControlCharacters, label));
    }

    public async Task<ReviewIntakeResult> ReceiveAsync(ReviewInput r, string userId, CancellationToken ct)
    {
        var catalogue = options.Catalogue();
        var now = clock.GetUtcNow();
        if (Validate(r, catalogue, now) is { Count: > 0 } errors) return new(ReviewIntakeOutcome.Invalid, Errors: errors);
        var platform = catalogue.Platform(r.Platform);
        var externalId = r.ExternalId!.Trim();
        if (await ExistingAsync(platform, externalId, ct) is { } existing) return new(ReviewIntakeOutcome.Existing, existing);

        var (customer, isNew) = await MatchCustomerAsync(db, platform, r.Customer, ct);
        var review = Review.Receive(catalogue, platform, externalId, r.Rating!.Value, r.Text!, r.PostedAt!.Value, r.Language, r.OrderReference,
            customer?.Id, r.Customer.Name, r.Customer.PlatformBuyerId, now, options.ReplySlaFor(customer?.VipTier ?? VipTier.None));
        try
        {
            var started = await runtime.StartAsync(new StartProcess(ReviewProcess.ProcessId, review.Key, StartVariables(review), review.Key, userId), ct,
                (engineDb, _) =>
                {
                    if (isNew) engineDb.Add(customer!);
                    engineDb.Add(review);
                    return Task.CompletedTask;
                });
            if (!started.IsOk) throw new InvalidOperationException($"Starting {ReviewProcess.ProcessId} failed: {started.Message}");
            return new(ReviewIntakeOutcome.Created, review.Id);
        }
        catch (DbUpdateException)
        {
            // The same review arrived twice at once: the unique (platform, external id) index let one in.
            if (await ExistingAsync(platform, externalId, ct) is { } raced) return new(ReviewIntakeOutcome.Existing, raced);
            throw;
        }
    }

    public static Dictionary<string, object?> StartVariables(Review review) => new()
    {
        [ReviewProcess.Variables.ReviewId] = review.Id.ToString(),
        [ReviewProcess.Variables.ReplySla] = ReviewOptions.Iso(review.ReplyDueAt - review.ReceivedAt),
        [ReviewProcess.Variables.Proposer] = "",
    };

    private Task<Guid?> ExistingAsync(string platform, string externalId, CancellationToken ct) =>
        db.Set<Review>().AsNoTracking().IgnoreAutoIncludes().Where(x => x.Platform == platform && x.ExternalId == externalId)
            .Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The existing customer with this phone, else this e-mail, else the one an earlier review of this platform's buyer id
    /// was matched to; else a new customer when a phone is given (a customer needs one), else none.
    /// </summary>
    public static async Task<(Customer? Customer, bool IsNew)> MatchCustomerAsync(RemediationDbContext db, string platform, ReviewCustomerInput c, CancellationToken ct)
    {
        var customers = db.Set<Customer>().AsNoTracking();
        PhoneNumber? phone = string.IsNullOrWhiteSpace(c.Phone) ? null : PhoneNumber.Parse(c.Phone);
        if (phone is not null && await customers.FirstOrDefaultAsync(x => x.Phone == phone, ct) is { } byPhone) return (byPhone, false);
        var email = c.Email?.Trim();
        if (!string.IsNullOrEmpty(email) && await customers.FirstOrDefaultAsync(x => x.Email == email, ct) is { } byEmail) return (byEmail, false);
        var buyer = c.PlatformBuyerId?.Trim();
        if (!string.IsNullOrEmpty(buyer))
        {
            var id = await db.Set<Review>().AsNoTracking().IgnoreAutoIncludes()
                .Where(x => x.Platform == platform && x.PlatformBuyerId == buyer && x.CustomerId != null).Select(x => x.CustomerId).FirstOrDefaultAsync(ct);
            if (id is not null && await customers.FirstOrDefaultAsync(x => x.Id == id, ct) is { } byBuyer) return (byBuyer, false);
        }
        if (phone is null) return (null, false);
        var name = string.IsNullOrWhiteSpace(c.Name) ? buyer ?? phone.Value : c.Name;
        return (Customer.Register(name, phone.Value, email), true);
    }

    public static string FormatErrors(IEnumerable<FieldError> errors) =>
        string.Join(" ", errors.Select(e => string.Format(CultureInfo.InvariantCulture, e.Message, e.Arguments)));
}
