using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Runtime;
using Xunit;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>List and query paths must never scan history: SQLite's own plan for the queries the engine sends.</summary>
public sealed class QueryPlanTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<string> PlanAsync(Func<DbContext, IQueryable<object>> query) => await host.QueryAsync(async db =>
    {
        var command = query(db).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
        return string.Join('\n', lines);
    });

    [Fact]
    public async Task Inbox_SearchesOpenItemsIndex_AndNeverScansWorkItems()
    {
        var plan = await PlanAsync(db => WorkflowEngine.Inbox(db, new WorkflowUser("alice", ["Handler", "Supervisor"])).OrderBy(w => w.CreatedAt).Take(21));

        Assert.Contains("IX_WfWorkItems_Open_Assignee_CreatedAt", plan);
        Assert.DoesNotContain("SCAN w", plan);
    }

    [Fact]
    public async Task DueTimers_SearchScheduledTimersIndex()
    {
        var now = DateTime.UtcNow;
        var plan = await PlanAsync(db => db.Set<Remediation.Workflows.Persistence.WorkflowTimer>()
            .Where(t => t.Status == Remediation.Workflows.Persistence.TimerStatus.Scheduled && t.DueAt <= now));

        Assert.Contains("IX_WfTimers_Scheduled_DueAt", plan);
    }
}
