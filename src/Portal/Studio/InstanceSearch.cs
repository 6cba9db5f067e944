using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Studio;

public enum IncidentFilter { Any, With, Without }

/// <summary>The admins' instance search (GET form on /Admin/Instances); every field optional.</summary>
public sealed class InstanceFilter
{
    public string? Process { get; set; }
    /// <summary>Only with <see cref="Process"/>.</summary>
    public int? Version { get; set; }
    public InstanceStatus? Status { get; set; }
    public string? BusinessKey { get; set; }
    public IncidentFilter Incidents { get; set; }
    /// <summary>Started on or after this UTC day.</summary>
    public DateOnly? From { get; set; }
    /// <summary>Started on or before this UTC day.</summary>
    public DateOnly? To { get; set; }
}

public sealed record InstanceRow(Guid Id, string ProcessId, int Version, InstanceStatus Status, string? BusinessKey, int OpenIncidents, DateTime CreatedAt, DateTime? EndedAt);

/// <summary>A page of the search and the cursor of the next one (null on the last page).</summary>
public sealed record InstancePage(IReadOnlyList<InstanceRow> Rows, string? Next);

/// <summary>
/// Newest first with keyset paging: the cursor is the last row's start time plus how many rows of that same instant
/// were shown, so the next page starts where the index walk stopped instead of counting past every earlier row (no
/// OFFSET, no COUNT). Each filter has an index ending in <c>CreatedAt</c> (WorkflowInstanceConfiguration).
/// </summary>
public static class InstanceSearch
{
    public const int PageSize = 50;

    public static IQueryable<WorkflowInstance> Query(DbContext db, InstanceFilter filter, Guid? definitionId, DateTime? before)
    {
        var query = db.Set<WorkflowInstance>().AsNoTracking();
        if (definitionId is { } id) query = query.Where(i => i.DefinitionId == id);
        else if (!string.IsNullOrWhiteSpace(filter.Process)) query = query.Where(i => i.ProcessId == filter.Process);
        if (filter.Status is { } status) query = query.Where(i => i.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.BusinessKey)) query = query.Where(i => i.BusinessKey == filter.BusinessKey.Trim());
        if (filter.Incidents == IncidentFilter.With) query = query.Where(i => i.OpenIncidents > 0);
        if (filter.Incidents == IncidentFilter.Without) query = query.Where(i => i.OpenIncidents == 0);
        if (filter.From is { } from) query = query.Where(i => i.CreatedAt >= from.ToDateTime(TimeOnly.MinValue));
        if (filter.To is { } to) query = query.Where(i => i.CreatedAt < to.AddDays(1).ToDateTime(TimeOnly.MinValue));
        if (before is { } at) query = query.Where(i => i.CreatedAt <= at);
        return query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id);
    }

    public static async Task<InstancePage> PageAsync(DbContext db, InstanceFilter filter, string? cursor, CancellationToken ct)
    {
        Guid? definitionId = null;
        if (!string.IsNullOrWhiteSpace(filter.Process) && filter.Version is { } version)
            definitionId = await db.Set<WorkflowDefinition>().AsNoTracking()
                .Where(d => d.ProcessId == filter.Process && d.Version == version).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct) ?? Guid.Empty;
        var (before, skip) = Parse(cursor);
        var rows = await Query(db, filter, definitionId, before).Skip(skip).Take(PageSize + 1)
            .Select(i => new InstanceRow(i.Id, i.ProcessId, i.DefinitionVersion, i.Status, i.BusinessKey, i.OpenIncidents, i.CreatedAt, i.EndedAt))
            .ToListAsync(ct);
        if (rows.Count <= PageSize) return new(rows, null);
        rows.RemoveAt(PageSize);
        var last = rows[^1].CreatedAt;
        var sameInstant = rows.Count(r => r.CreatedAt == last) + (before == last ? skip : 0);
        return new(rows, $"{last.Ticks.ToString(CultureInfo.InvariantCulture)}.{sameInstant.ToString(CultureInfo.InvariantCulture)}");
    }

    private static (DateTime? Before, int Skip) Parse(string? cursor)
    {
        var parts = cursor?.Split('.');
        if (parts is not { Length: 2 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var skip) || skip > 100_000)
            return (null, 0);
        return (new DateTime(ticks, DateTimeKind.Utc), skip);
    }
}
