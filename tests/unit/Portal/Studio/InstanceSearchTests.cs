using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Studio;
using Remediation.UnitTests.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;

namespace Remediation.UnitTests.Portal.Studio;

/// <summary>The admins' instance search on a real SQLite file: filters, keyset paging, and SQLite's own plans.</summary>
public sealed class InstanceSearchTests : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
    private readonly WorkflowTestHost host = new();
    private readonly Guid v1 = Guid.CreateVersion7(), v2 = Guid.CreateVersion7();

    public async Task InitializeAsync() => await host.QueryAsync(async db =>
    {
        db.Add(new WorkflowDefinition { Id = v1, ProcessId = "complaint", Version = 1, Status = DefinitionStatus.Published, Xml = "<x/>", Hash = "1" });
        db.Add(new WorkflowDefinition { Id = v2, ProcessId = "complaint", Version = 2, Status = DefinitionStatus.Published, Xml = "<x/>", Hash = "2" });
        // 120 complaint instances an hour apart (every third on v2, every fifth completed, every seventh with an incident),
        // 10 review instances, and 5 complaints started at the very same instant (ties on the paging key).
        for (var i = 0; i < 120; i++)
            db.Add(Instance("complaint", i % 3 == 0 ? 2 : 1, T0.AddHours(i), $"C-{i:D3}", i % 5 == 0 ? InstanceStatus.Completed : InstanceStatus.Running, i % 7 == 0 ? 1 : 0));
        for (var i = 0; i < 10; i++) db.Add(Instance("review", 1, T0.AddHours(i).AddMinutes(30), $"R-{i}", InstanceStatus.Running, 0));
        for (var i = 0; i < 5; i++) db.Add(Instance("complaint", 1, T0.AddDays(30), $"TIE-{i}", InstanceStatus.Running, 0));
        await db.SaveChangesAsync();
        return 0;
    });

    public async Task DisposeAsync() => await host.DisposeAsync();

    private WorkflowInstance Instance(string process, int version, DateTime at, string key, InstanceStatus status, int incidents) => new()
    {
        Id = Guid.NewGuid(), ProcessId = process, DefinitionVersion = version, DefinitionId = process == "complaint" ? (version == 2 ? v2 : v1) : Guid.NewGuid(),
        BusinessKey = key, Status = status, OpenIncidents = incidents, CreatedAt = at, StateJson = "{}",
    };

    private async Task<List<InstanceRow>> AllPagesAsync(InstanceFilter filter)
    {
        var rows = new List<InstanceRow>();
        string? cursor = null;
        do
        {
            var page = await host.QueryAsync(db => InstanceSearch.PageAsync(db, filter, cursor, CancellationToken.None));
            Assert.True(page.Rows.Count <= InstanceSearch.PageSize);
            rows.AddRange(page.Rows);
            cursor = page.Next;
        } while (cursor is not null);
        return rows;
    }

    [Fact]
    public async Task Paging_ReturnsEveryInstanceOnce_NewestFirst_WhenStartTimesTie()
    {
        var rows = await AllPagesAsync(new InstanceFilter());

        Assert.Equal(135, rows.Count);
        Assert.Equal(135, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(rows.OrderByDescending(r => r.CreatedAt).Select(r => r.CreatedAt), rows.Select(r => r.CreatedAt));
        Assert.Equal(5, rows.Count(r => r.BusinessKey!.StartsWith("TIE-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Filters_Combine_ProcessVersionStatusIncidentsAndDates()
    {
        var filter = new InstanceFilter
        {
            Process = "complaint", Version = 2, Status = InstanceStatus.Running, Incidents = IncidentFilter.With,
            From = DateOnly.FromDateTime(T0), To = DateOnly.FromDateTime(T0.AddHours(100)),
        };

        var rows = await AllPagesAsync(filter);

        var expected = Enumerable.Range(0, 120).Where(i => i % 3 == 0 && i % 5 != 0 && i % 7 == 0 && T0.AddHours(i).Date <= T0.AddHours(100).Date)
            .Select(i => $"C-{i:D3}").Reverse();
        Assert.Equal(expected, rows.Select(r => r.BusinessKey));
    }

    [Fact]
    public async Task Filters_FindByBusinessKey_AndWithoutIncidents()
    {
        Assert.Equal(["R-4"], (await AllPagesAsync(new InstanceFilter { BusinessKey = " R-4 " })).Select(r => r.BusinessKey));
        Assert.Empty(await AllPagesAsync(new InstanceFilter { BusinessKey = "C-007", Incidents = IncidentFilter.Without }));
        Assert.Empty(await AllPagesAsync(new InstanceFilter { Process = "complaint", Version = 9 }));
    }

    [Fact]
    public async Task Paging_IgnoresAForgedCursor()
    {
        var page = await host.QueryAsync(db => InstanceSearch.PageAsync(db, new InstanceFilter(), "99999999999999999999.-1", CancellationToken.None));

        Assert.Equal(InstanceSearch.PageSize, page.Rows.Count);
    }

    private async Task<string> PlanAsync(InstanceFilter filter, Guid? definitionId = null) => await host.QueryAsync(async db =>
    {
        var command = InstanceSearch.Query(db, filter, definitionId, DateTime.UtcNow).Take(51).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
        return string.Join('\n', lines);
    });

    public static TheoryData<string, string> Searches => new()
    {
        { "none", "IX_WfInstances_CreatedAt" },
        { "process", "IX_WfInstances_Process_CreatedAt" },
        { "version", "IX_WfInstances_Definition_CreatedAt" },
        { "status", "IX_WfInstances_Status_CreatedAt" },
        { "incidents", "IX_WfInstances_Incidents_CreatedAt" },
        { "key", "IX_WfInstances_BusinessKey" },
        { "dates", "IX_WfInstances_CreatedAt" },
    };

    /// <summary>Each search walks an index in the page's order and stops after a page: no scan, no sort of the whole table.</summary>
    [Theory]
    [MemberData(nameof(Searches))]
    public async Task Search_WalksAnIndex_AndNeverScansOrSortsInstances(string search, string index)
    {
        var filter = search switch
        {
            "process" => new InstanceFilter { Process = "complaint" },
            "status" => new InstanceFilter { Status = InstanceStatus.Running },
            "incidents" => new InstanceFilter { Incidents = IncidentFilter.With },
            "key" => new InstanceFilter { BusinessKey = "C-001" },
            "dates" => new InstanceFilter { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 2) },
            _ => new InstanceFilter(),
        };

        var plan = await PlanAsync(filter, search == "version" ? v2 : null);

        Assert.Contains(index, plan);
        Assert.DoesNotContain("SCAN i\n", plan + "\n");
        if (search != "key") Assert.DoesNotContain("TEMP B-TREE", plan);
    }
}
