using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Complaints;

/// <summary>One open complaint task with the complaint columns the queue shows (a keyless type over <see cref="ComplaintQueue.Sql"/>).</summary>
public sealed class QueueRow
{
    public Guid TaskId { get; set; }
    public Guid InstanceId { get; set; }
    public string ElementId { get; set; } = "";
    public string? FormKey { get; set; }
    public string? Assignee { get; set; }
    public string CandidateRoles { get; set; } = "";
    public string CandidateUsers { get; set; } = "";
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

/// <summary>
/// Maps <see cref="QueueRow"/> to the queue's SQL, so the queue is an ordinary query that EF composes, parameterises and
/// caches the SQL of (a composed <c>SqlQueryRaw</c> had its SQL generated again on every request). No table: migrations ignore it.
/// </summary>
internal sealed class QueueRowConfiguration : IEntityTypeConfiguration<QueueRow>
{
    public void Configure(EntityTypeBuilder<QueueRow> b) => b.HasNoKey().ToSqlQuery(ComplaintQueue.Sql);
}

public sealed record QueueFilter(string? FormKey = null, string? Channel = null, string? VipTier = null, bool OverdueOnly = false,
    string? Search = null, bool MineOnly = false);

/// <summary>
/// The work queue: one SQL query joining open work items to complaints (unique index on Reference) and customers,
/// filtered, sorted overdue-first and paged in the database. No complaint history is loaded.
/// <para>Costs with 100,000 complaints (docs/performance.md): the default view walks the index
/// (Status, DueAt, CreatedAt, Id) and stops when the page is full, without sorting. There is no total count, which
/// would read every open item on every request; the page asks for one row more than it shows to know whether there
/// is a next page. A reference or phone search first finds the few matching complaints through their own indexes
/// (unique reference; the last four phone digits), then their open tasks through (InstanceId, Status). A name search
/// (a substring, no index can serve it) and the other filters walk the due-date index until the page is full.</para>
/// </summary>
public sealed class ComplaintQueue(RemediationDbContext db, TimeProvider clock)
{
    // Portable SQL (SQLite and SQL Server); EF composes the filters, ordering and paging around it.
    internal const string Sql = """
        SELECT w.Id AS TaskId, w.InstanceId, w.ElementId, w.FormKey, w.Assignee, w.CandidateRoles, w.CandidateUsers, w.DueAt, w.CreatedAt,
               c.Id AS ComplaintId, c.Reference, c.ContactName, c.ContactPhone, c.Channel, c.Step, c.IsOverdue, cu.VipTier
        FROM WfWorkItems AS w
        INNER JOIN Complaints AS c ON c.Reference = w.BusinessKey
        INNER JOIN Customers AS cu ON cu.Id = c.CustomerId
        WHERE w.Status = 'Open'
        """;

    /// <summary>More complaints than this matching a reference prefix or phone suffix: filter while walking the queue instead.</summary>
    internal const int LookupLimit = 500;

    /// <summary>Phone searches need at least the last four digits (Complaints.ContactPhoneLast4).</summary>
    public const int PhoneSuffixLength = 4;

    public async Task<Page<QueueRow>> ListAsync(WorkflowUser user, QueueFilter filter, int pageNumber, int pageSize, CancellationToken ct)
    {
        pageNumber = Math.Max(1, pageNumber);
        pageSize = Math.Clamp(pageSize, 1, 100);
        var now = clock.GetUtcNow().UtcDateTime;
        var userId = user.Id;
        // camunda:candidateUsers names a user by id or sign-in name.
        var idPattern = "%|" + user.Id + "|%";
        var userNamePattern = "%|" + (user.Name ?? user.Id) + "|%";
        bool handler = user.Roles.Contains(Roles.Handler), supervisor = user.Roles.Contains(Roles.Supervisor),
            approver = user.Roles.Contains(Roles.Approver), admin = user.Roles.Contains(Roles.Admin);

        var rows = db.Set<QueueRow>().AsNoTracking()
            .Where(r => r.Assignee == userId || !filter.MineOnly && r.Assignee == null && (
                handler && EF.Functions.Like(r.CandidateRoles, "%|Handler|%")
                || supervisor && EF.Functions.Like(r.CandidateRoles, "%|Supervisor|%")
                || approver && EF.Functions.Like(r.CandidateRoles, "%|Approver|%")
                || admin && EF.Functions.Like(r.CandidateRoles, "%|Admin|%")
                || r.CandidateUsers != "" && (EF.Functions.Like(r.CandidateUsers, idPattern) || EF.Functions.Like(r.CandidateUsers, userNamePattern))));

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
            IQueryable<string>? references = null;
            if (Domain.Complaints.ComplaintReference.TryParse(upper, out var reference))
            {
                references = db.Database.SqlQuery<string>($"SELECT Reference AS Value FROM Complaints WHERE Reference = {reference.ToString()}");
            }
            else if (upper.StartsWith("C-", StringComparison.Ordinal))
            {
                // A range on the unique index (LIKE is case-insensitive in SQLite and could not use it). Only digits and '-'
                // follow a prefix in a reference, and both sort before 'Z' in SQLite's BINARY and SQL Server's collations.
                references = db.Database.SqlQuery<string>($"SELECT Reference AS Value FROM Complaints WHERE Reference >= {upper} AND Reference < {upper + "Z"}");
            }
            else if (digits.Length >= PhoneSuffixLength && !term.Any(char.IsLetter))
            {
                // A whole number or its last digits ("the last four"): the indexed last-four column narrows it to a few rows.
                var last = digits[^PhoneSuffixLength..];
                var suffix = "%" + digits;
                references = db.Database.SqlQuery<string>($"SELECT Reference AS Value FROM Complaints WHERE ContactPhoneLast4 = {last} AND ContactPhone LIKE {suffix}");
            }

            var found = references is null ? null : await references.OrderBy(v => v).Take(LookupLimit + 1).ToListAsync(ct);
            if (found is { Count: <= LookupLimit })
            {
                var instanceIds = found.Count == 0 ? [] : await db.Set<WorkflowInstance>().AsNoTracking()
                    .Where(i => found.Contains(i.BusinessKey!)).Select(i => i.Id).ToListAsync(ct);
                // A handful of open tasks: read them all through (InstanceId, Status) and sort here. With ORDER BY ... LIMIT
                // in SQL, SQLite would rather walk the due-date index (no sort) over every open item until the page fills.
                var matches = await rows.Where(r => instanceIds.Contains(r.InstanceId)).ToListAsync(ct);
                return ToPage(matches.OrderBy(r => r.DueAt).ThenBy(r => r.CreatedAt).ThenBy(r => r.TaskId)
                    .Skip((pageNumber - 1) * pageSize).Take(pageSize + 1).ToList(), pageNumber, pageSize);
            }
            else if (found is not null)
            {
                rows = upper.StartsWith("C-", StringComparison.Ordinal)
                    ? rows.Where(r => r.Reference.StartsWith(upper))
                    : rows.Where(r => r.ContactPhone.EndsWith(digits));
            }
            else
            {
                rows = rows.Where(r => EF.Functions.Like(r.ContactName, namePattern));
            }
        }

        var page = await rows
            // A task's due date is its SLA deadline, so earliest-due-first puts overdue work on top; ordering by the
            // column alone lets SQLite walk IX (Status, DueAt, CreatedAt, Id) and stop after one page (docs/performance.md).
            .OrderBy(r => r.DueAt)
            .ThenBy(r => r.CreatedAt)
            .ThenBy(r => r.TaskId)
            .Skip((pageNumber - 1) * pageSize).Take(pageSize + 1)
            .ToListAsync(ct);
        return ToPage(page, pageNumber, pageSize);
    }

    /// <param name="page">Up to one row more than the page size: the extra one only says there is a next page.</param>
    private static Page<QueueRow> ToPage(List<QueueRow> page, int pageNumber, int pageSize)
    {
        foreach (var row in page)
        {
            row.CreatedAt = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc);
            if (row.DueAt is { } due) row.DueAt = DateTime.SpecifyKind(due, DateTimeKind.Utc);
        }
        return new(page.Take(pageSize).ToList(), pageNumber, pageSize, page.Count > pageSize);
    }
}
