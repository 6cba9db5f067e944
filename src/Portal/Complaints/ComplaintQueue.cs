using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Complaints;

/// <summary>One open complaint task with the complaint columns the queue shows (read straight from SQL).</summary>
public sealed class QueueRow
{
    public Guid TaskId { get; set; }
    public string ElementId { get; set; } = "";
    public string? FormKey { get; set; }
    public string? Assignee { get; set; }
    public string CandidateRoles { get; set; } = "";
    public DateTime? DueAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid ComplaintId { get; set; }
    public string Reference { get; set; } = "";
    public string ContactName { get; set; } = "";
    public string ContactPhone { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Step { get; set; } = "";
    public bool IsOverdue { get; set; }
    public string VipTier { get; set; } = "";
}

public sealed record QueueFilter(string? FormKey = null, string? Channel = null, string? VipTier = null, bool OverdueOnly = false,
    string? Search = null, bool MineOnly = false);

/// <summary>
/// The work queue: one SQL query joining open work items to complaints (unique index on Reference) and customers,
/// filtered, sorted overdue-first and paged in the database. No complaint history is loaded.
/// </summary>
public sealed class ComplaintQueue(RemediationDbContext db, TimeProvider clock)
{
    // Portable SQL (SQLite and SQL Server); EF composes the filters, ordering and paging around it.
    private const string Sql = """
        SELECT w.Id AS TaskId, w.ElementId, w.FormKey, w.Assignee, w.CandidateRoles, w.DueAt, w.CreatedAt,
               c.Id AS ComplaintId, c.Reference, c.ContactName, c.ContactPhone, c.Channel, c.Step, c.IsOverdue, cu.VipTier
        FROM WfWorkItems AS w
        INNER JOIN Complaints AS c ON c.Reference = w.BusinessKey
        INNER JOIN Customers AS cu ON cu.Id = c.CustomerId
        WHERE w.Status = 'Open'
        """;

    public async Task<Page<QueueRow>> ListAsync(WorkflowUser user, QueueFilter filter, int pageNumber, int pageSize, CancellationToken ct)
    {
        pageNumber = Math.Max(1, pageNumber);
        pageSize = Math.Clamp(pageSize, 1, 100);
        var now = clock.GetUtcNow().UtcDateTime;
        var userId = user.Id;
        bool handler = user.Roles.Contains(Roles.Handler), supervisor = user.Roles.Contains(Roles.Supervisor),
            approver = user.Roles.Contains(Roles.Approver), admin = user.Roles.Contains(Roles.Admin);

        var rows = db.Database.SqlQueryRaw<QueueRow>(Sql)
            .Where(r => r.Assignee == userId || !filter.MineOnly && r.Assignee == null && (
                handler && EF.Functions.Like(r.CandidateRoles, "%|Handler|%")
                || supervisor && EF.Functions.Like(r.CandidateRoles, "%|Supervisor|%")
                || approver && EF.Functions.Like(r.CandidateRoles, "%|Approver|%")
                || admin && EF.Functions.Like(r.CandidateRoles, "%|Admin|%")));

        if (!string.IsNullOrWhiteSpace(filter.FormKey)) rows = rows.Where(r => r.FormKey == filter.FormKey);
        if (!string.IsNullOrWhiteSpace(filter.Channel)) rows = rows.Where(r => r.Channel == filter.Channel);
        if (!string.IsNullOrWhiteSpace(filter.VipTier)) rows = rows.Where(r => r.VipTier == filter.VipTier);
        if (filter.OverdueOnly) rows = rows.Where(r => r.IsOverdue || r.DueAt < now);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            var digits = new string(term.Where(char.IsAsciiDigit).ToArray());
            var upper = term.ToUpperInvariant();
            var namePattern = "%" + term.Replace("[", "").Replace("%", "").Replace("_", "") + "%";
            // A whole reference or phone number is an equality on an indexed column; anything else is a name search.
            rows = Domain.Complaints.ComplaintReference.TryParse(upper, out var reference)
                ? rows.Where(r => r.Reference == reference.ToString())
                : upper.StartsWith("C-", StringComparison.Ordinal)
                    ? rows.Where(r => r.Reference.StartsWith(upper))
                    : digits.Length >= 5 && !term.Any(char.IsLetter)
                        ? rows.Where(r => r.ContactPhone == (term.StartsWith('+') ? "+" + digits : digits) || r.ContactPhone.EndsWith(digits))
                        : rows.Where(r => EF.Functions.Like(r.ContactName, namePattern));
        }

        var page = await rows
            // A task's due date is its SLA deadline, so earliest-due-first puts overdue work on top; ordering by the
            // column alone lets SQLite walk IX (Status, DueAt, CreatedAt, Id) and stop after one page (docs/performance.md).
            .OrderBy(r => r.DueAt)
            .ThenBy(r => r.CreatedAt)
            .ThenBy(r => r.TaskId)
            .Skip((pageNumber - 1) * pageSize).Take(pageSize + 1)
            .ToListAsync(ct);
        foreach (var row in page)
        {
            row.CreatedAt = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc);
            if (row.DueAt is { } due) row.DueAt = DateTime.SpecifyKind(due, DateTimeKind.Utc);
        }
        return new(page.Take(pageSize).ToList(), pageNumber, pageSize, page.Count > pageSize);
    }
}
