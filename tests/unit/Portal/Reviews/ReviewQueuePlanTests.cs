using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Remediation.Portal.Data;
using Remediation.Portal.Reviews;
using Xunit;

namespace Remediation.UnitTests.Portal.Reviews;

/// <summary>
/// The review queue walks a partial index of the reviews not closed in due order and stops at a page: no table scan, no
/// sort. (With "Status != Closed" against the (Status, …) index it scanned and sorted 110,000 reviews: p95 733 ms under
/// 32 clients; with these indexes 20 ms — docs/reviews.md, "Measured".)
/// </summary>
public sealed class ReviewQueuePlanTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("remediation-review-plan-").FullName;
    private readonly Recorder _recorder = new();
    private readonly SqliteRemediationDbContext _db;

    public ReviewQueuePlanTests()
    {
        var options = new DbContextOptionsBuilder<SqliteRemediationDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "test.db"), Pooling = false }.ToString())
            .AddInterceptors(_recorder).Options;
        _db = new SqliteRemediationDbContext(options);
        _db.Database.Migrate();
    }

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(null, null, false, "IX_Reviews_Open_ReplyDueAt")]
    [InlineData("JD", null, false, "IX_Reviews_Open_Platform_ReplyDueAt")]
    [InlineData(null, 1, false, "IX_Reviews_Open_Rating_ReplyDueAt")]
    [InlineData(null, null, true, "IX_Reviews_Open_HandlerId_ReplyDueAt")]
    public async Task List_WalksAnOpenReviewsIndexInDueOrder_WithoutScanOrSort(string? platform, int? rating, bool mine, string index)
    {
        await new ReviewQueue(_db, TimeProvider.System).ListAsync("handler-1", new ReviewFilter(Platform: platform, Rating: rating, Mine: mine), 1, default);

        var plan = await PlanAsync(_recorder.Commands.Last());
        Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN r", StringComparison.Ordinal) && !line.Contains("INDEX", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanAsync((string Sql, List<(string Name, object Value)> Parameters) command)
    {
        var connection = (SqliteConnection)_db.Database.GetDbConnection();
        await connection.OpenAsync();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters) explain.Parameters.AddWithValue(name, value);
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return plan;
    }

    private sealed class Recorder : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value)).ToList()));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
