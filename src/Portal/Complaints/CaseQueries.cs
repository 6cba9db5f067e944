using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.Remedies;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Complaints;

/// <summary>
/// The case page's reads, compiled once (EF skips translating and looking up the query on every request) and keyed by
/// the complaint's reference, so that the instances, open tasks and journal need no list of instance ids in between.
/// About a dozen small indexed statements per page (docs/performance.md).
/// <para>Instances are matched with <c>InstanceId IN (SELECT Id FROM WfInstances WHERE BusinessKey = @key)</c>, not a
/// join or EXISTS: without statistics SQLite would drive a join from the (Status, DueAt, …) index over every open
/// item (seconds at 100,000 complaints); the IN list makes it look the few instances up first.</para>
/// </summary>
public static class CaseQueries
{
    /// <summary>An instance about the complaint; <see cref="StateJson"/> gives the active elements of the main one.</summary>
    public sealed record InstanceRow(Guid Id, string ProcessId, Guid DefinitionId, DateTime CreatedAt, string StateJson);

    /// <summary>A journal entry with its user's display name and user name (null when the user is unknown).</summary>
    public sealed record JournalRow(DateTime At, JournalKind Kind, string? ElementId, string? UserId, string? Detail,
        string? DisplayName, string? UserName, string? VariablesJson);

    public sealed record OpenTaskRow(WorkItem Task, string? AssigneeDisplayName, string? AssigneeUserName);

    public sealed record MessageRow(DateTime SentAt, string Recipient, string Subject);

    /// <summary>
    /// The complaint with its whole record: the six step collections (one statement each, split) and the work order, for
    /// the case page's record and timeline outcomes. A complaint has a handful of rows in each.
    /// </summary>
    public static readonly Func<RemediationDbContext, Guid, CancellationToken, Task<Complaint?>> RecordAsync =
        EF.CompileAsyncQuery((RemediationDbContext db, Guid id, CancellationToken _) => db.Set<Complaint>().AsNoTracking().AsSplitQuery()
            .FirstOrDefault(c => c.Id == id));

    public static readonly Func<RemediationDbContext, Guid, CancellationToken, Task<Customer?>> CustomerAsync =
        EF.CompileAsyncQuery((RemediationDbContext db, Guid id, CancellationToken _) => db.Set<Customer>().AsNoTracking().FirstOrDefault(c => c.Id == id));

    public static readonly Func<RemediationDbContext, string, IAsyncEnumerable<InstanceRow>> Instances =
        EF.CompileAsyncQuery((RemediationDbContext db, string key) => db.Set<WorkflowInstance>().AsNoTracking()
            .Where(i => i.BusinessKey == key)
            .Select(i => new InstanceRow(i.Id, i.ProcessId, i.DefinitionId, i.CreatedAt, i.StateJson)));

    /// <summary>Open tasks of every instance about the complaint, oldest first, with the holder's names (null when unassigned).</summary>
    public static readonly Func<RemediationDbContext, string, IAsyncEnumerable<OpenTaskRow>> OpenTasks =
        EF.CompileAsyncQuery((RemediationDbContext db, string key) =>
            from w in db.Set<WorkItem>().AsNoTracking()
            from u in db.Users.Where(u => u.Id == w.Assignee).DefaultIfEmpty()
            where w.Status == WorkItemStatus.Open
                && db.Set<WorkflowInstance>().Where(i => i.BusinessKey == key).Select(i => i.Id).Contains(w.InstanceId)
            orderby w.CreatedAt
            select new OpenTaskRow(w, u.DisplayName, u.UserName));

    /// <summary>The timeline's journal entries (elements done, claims, failures, start and end), the first 500; the variables
    /// an entry wrote say what a generated form's step entered.</summary>
    public static readonly Func<RemediationDbContext, string, IAsyncEnumerable<JournalRow>> Journal =
        EF.CompileAsyncQuery((RemediationDbContext db, string key) => (
            from j in db.Set<JournalEntry>().AsNoTracking()
            from u in db.Users.Where(u => u.Id == j.UserId).DefaultIfEmpty()
            where db.Set<WorkflowInstance>().Where(i => i.BusinessKey == key).Select(i => i.Id).Contains(j.InstanceId) && (j.Kind == JournalKind.Completed || j.Kind == JournalKind.InstanceStarted
                || j.Kind == JournalKind.InstanceCompleted || j.Kind == JournalKind.InstanceCancelled
                || j.Kind == JournalKind.Claimed || j.Kind == JournalKind.Failed)
            orderby j.Id
            select new JournalRow(j.At, j.Kind, j.ElementId, j.UserId, j.Detail, u.DisplayName, u.UserName, j.VariablesJson)).Take(500));

    public static readonly Func<RemediationDbContext, Guid, IAsyncEnumerable<MessageRow>> Messages =
        EF.CompileAsyncQuery((RemediationDbContext db, Guid complaintId) => db.Set<SentNotification>().AsNoTracking()
            .Where(n => n.ComplaintId == complaintId).OrderBy(n => n.SentAt).Take(200)
            .Select(n => new MessageRow(n.SentAt, n.Recipient, n.Subject)));

    /// <summary>
    /// Changes whenever what the case page shows changes: the complaint's row (its version) or anything its instances
    /// journal (a step done, taken, given back, handed over, a timer, a payment's outcome). Null for an unknown complaint.
    /// </summary>
    public static async Task<string?> FingerprintAsync(RemediationDbContext db, Guid id, CancellationToken ct)
    {
        var head = await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes().Where(c => c.Id == id)
            .Select(c => new { c.Version, c.Reference }).FirstOrDefaultAsync(ct);
        return head is null ? null : Fingerprint(head.Version, await LastJournalIdAsync(db, head.Reference.ToString(), ct));
    }

    /// <summary>The fingerprint of a complaint whose row is already loaded (the case page), from its version and journal.</summary>
    public static string Fingerprint(int version, long? lastJournalId) => $"{version}.{lastJournalId}";

    public static Task<long?> LastJournalIdAsync(RemediationDbContext db, string key, CancellationToken ct) =>
        db.Set<JournalEntry>().AsNoTracking()
            .Where(j => db.Set<WorkflowInstance>().Where(i => i.BusinessKey == key).Select(i => i.Id).Contains(j.InstanceId))
            .MaxAsync(j => (long?)j.Id, ct);
}
