using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Xunit;

namespace Remediation.UnitTests.Portal.Infrastructure;

/// <summary>Every SQLite connection the portal and the engine open carries the settings durability and speed rely on.</summary>
public sealed class SqlitePragmasTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("remediation-pragmas-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ConnectionsOpenedByEf_AreWal_SynchronousFull_WithBusyTimeout_ForeignKeys_TempDataInMemory_AndBackgroundCheckpoints()
    {
        // Given the portal's context options with the pragma interceptor
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "remediation.db"), Pooling = true }.ToString();
        var options = new DbContextOptionsBuilder<SqliteRemediationDbContext>().UseSqlite(connectionString).AddInterceptors(new SqlitePragmas(4_321)).Options;

        // When EF opens a connection (twice: the second one comes from Microsoft.Data.Sqlite's pool)
        for (var round = 0; round < 2; round++)
        {
            await using var db = new SqliteRemediationDbContext(options);
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();

            // Then a commit survives power loss (WAL + FULL), writers wait instead of failing, keys are enforced, and
            // savepoint journals and sorts stay in memory (the engine's group commit made a temp file per batch)
            Assert.Equal("wal", Pragma(connection, "journal_mode"));
            Assert.Equal("2", Pragma(connection, "synchronous"));
            Assert.Equal("4321", Pragma(connection, "busy_timeout"));
            Assert.Equal("1", Pragma(connection, "foreign_keys"));
            Assert.Equal("2", Pragma(connection, "temp_store"));
            // and a commit checkpoints by itself only past the fallback: SqliteCheckpointer does it in the background
            Assert.Equal($"{SqliteCheckpointer.FallbackPages}", Pragma(connection, "wal_autocheckpoint"));
        }
    }

    private static string? Pragma(System.Data.Common.DbConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
