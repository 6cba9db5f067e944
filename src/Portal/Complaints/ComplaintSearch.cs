using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Portal.Data;

namespace Remediation.Portal.Complaints;

/// <summary>One complaint in the search list: its own columns, no step history.</summary>
public sealed class CaseSearchRow
{
    public Guid Id { get; set; }
    public string Reference { get; set; } = "";
    public Guid CustomerId { get; set; }
    public string ContactName { get; set; } = "";
    public string ContactPhone { get; set; } = "";
    public string? ContactPhoneLast4 { get; set; }
    public string? OrderReference { get; set; }
    public string Channel { get; set; } = "";
    public string Category { get; set; } = "";
    public string Status { get; set; } = "";
    public string Step { get; set; } = "";
    public bool IsOverdue { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
}

/// <summary>Filters of the case search. <see cref="Text"/> is a reference, a phone number in any format (or its last
/// digits), an order reference or part of the contact's name. Dates are inclusive days in UTC.</summary>
public sealed record CaseSearchFilter(string? Text = null, ComplaintStatus? Status = null, ComplaintStep? Step = null,
    DateOnly? From = null, DateOnly? To = null);

/// <summary>Where the next page starts: after the row created at <see cref="CreatedAt"/> with <see cref="Reference"/>.</summary>
public sealed record CaseSearchCursor(DateTime CreatedAt, string Reference)
{
    public string Format() => $"{CreatedAt.Ticks}~{Reference}";

    public static CaseSearchCursor? Parse(string? text)
    {
        var parts = text?.Split('~', 2);
        return parts is [var ticks, var reference] && long.TryParse(ticks, out var t) && t >= 0 && t <= DateTime.MaxValue.Ticks
            ? new CaseSearchCursor(new DateTime(t, DateTimeKind.Utc), reference)
            : null;
    }
}

public sealed record CaseSearchPage(IReadOnlyList<CaseSearchRow> Items, CaseSearchCursor? Next);

/// <summary>
/// Every complaint, closed ones included, newest first, paged by key (created at, reference) so that page 400 costs what
/// page 1 costs. A reference, a whole phone number, an order reference and the last four phone digits are each looked up
/// through an index; the status, step and date filters narrow the walk down the CreatedAt index; a name is matched against
/// the customers' names (a substring: a scan, but of the much smaller customer table) and their complaints found by
/// customer (docs/performance.md, "Case search").
/// </summary>
public sealed class ComplaintSearch(RemediationDbContext db)
{
    private const string Sql = """
        SELECT c.Id, c.Reference, c.CustomerId, c.ContactName, c.ContactPhone, c.ContactPhoneLast4, c.OrderReference, c.Channel,
               c.Category, c.Status, c.Step, c.IsOverdue, c.CreatedAt, c.ClosedAt
        FROM Complaints AS c
        """;

    public async Task<CaseSearchPage> SearchAsync(CaseSearchFilter filter, CaseSearchCursor? after, int pageSize, CancellationToken ct)
    {
        pageSize = Math.Clamp(pageSize, 1, 100);
        var rows = db.Database.SqlQueryRaw<CaseSearchRow>(Sql);

        if (filter.Status is { } status) { var s = status.ToString(); rows = rows.Where(r => r.Status == s); }
        if (filter.Step is { } step) { var s = step.ToString(); rows = rows.Where(r => r.Step == s); }
        if (filter.From is { } from) { var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc); rows = rows.Where(r => r.CreatedAt >= start); }
        if (filter.To is { } to) { var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc); rows = rows.Where(r => r.CreatedAt < end); }
        if (!string.IsNullOrWhiteSpace(filter.Text)) rows = await MatchingAsync(rows, filter.Text.Trim(), ct);
        if (after is not null)
        {
            var at = after.CreatedAt;
            var reference = after.Reference;
            // "<= at" first, so the walk starts on the CreatedAt index at the cursor; the tie-break on the unique reference.
            rows = rows.Where(r => r.CreatedAt <= at && (r.CreatedAt < at || string.Compare(r.Reference, reference) < 0));
        }

        var page = await rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Reference).Take(pageSize + 1).ToListAsync(ct);
        foreach (var row in page)
        {
            row.CreatedAt = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc);
            if (row.ClosedAt is { } closed) row.ClosedAt = DateTime.SpecifyKind(closed, DateTimeKind.Utc);
        }
        var items = page.Take(pageSize).ToList();
        return new CaseSearchPage(items, page.Count > pageSize ? new CaseSearchCursor(items[^1].CreatedAt, items[^1].Reference) : null);
    }

    /// <summary>Customers whose name matches, at most this many: a name search looks their complaints up by customer.</summary>
    internal const int NameLookupLimit = 500;

    private async Task<IQueryable<CaseSearchRow>> MatchingAsync(IQueryable<CaseSearchRow> rows, string term, CancellationToken ct)
    {
        var upper = term.ToUpperInvariant();
        if (ComplaintReference.TryParse(upper, out var reference))
        {
            var value = reference.ToString();
            return rows.Where(r => r.Reference == value);
        }
        if (upper.StartsWith("C-", StringComparison.Ordinal))
            return rows.Where(r => string.Compare(r.Reference, upper) >= 0 && string.Compare(r.Reference, upper + "Z") < 0);
        var digits = new string(term.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= ComplaintQueue.PhoneSuffixLength && term.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '+' or '(' or ')' or '.'))
        {
            if (TryPhone(term) is { } phone) return rows.Where(r => r.ContactPhone == phone || r.OrderReference == term);
            // The last digits of a number ("the last four"), or an order reference made of digits.
            var last = digits[^ComplaintQueue.PhoneSuffixLength..];
            return rows.Where(r => r.ContactPhoneLast4 == last && r.ContactPhone.EndsWith(digits) || r.OrderReference == term);
        }
        // An order reference (indexed); otherwise part of a name. The customers are far fewer than their complaints and
        // narrower rows, so the substring is matched there and their complaints found through the CustomerId index.
        if (await db.Set<Complaint>().AnyAsync(c => c.Contact.OrderReference == term, ct))
            return rows.Where(r => r.OrderReference == term);
        var pattern = "%" + term.Replace("[", "").Replace("%", "").Replace("_", "") + "%";
        var customers = await db.Set<Customer>().AsNoTracking().Where(c => EF.Functions.Like(c.Name, pattern))
            .Select(c => c.Id).Take(NameLookupLimit).ToListAsync(ct);
        return customers.Count < NameLookupLimit
            ? rows.Where(r => customers.Contains(r.CustomerId))
            : rows.Where(r => EF.Functions.Like(r.ContactName, pattern)); // a very common fragment: match while walking
    }

    private static string? TryPhone(string term)
    {
        try { return PhoneNumber.Parse(term).Value; }
        catch (DomainException) { return null; }
    }
}
