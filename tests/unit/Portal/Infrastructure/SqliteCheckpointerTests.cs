using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Portal.Infrastructure;
using Xunit;

namespace Remediation.UnitTests.Portal.Infrastructure;

/// <summary>Commits reach the database file in the background, with no committing connection checkpointing.</summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("remediation-checkpoint-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task CommittedPages_AreCopiedIntoTheDatabaseFile_WhileTheWalStaysBelowTheCommittersOwnThreshold()
    {
        // Given a database whose connections have the portal's pragmas (they checkpoint only past the fallback)
        var path = Path.Combine(folder, "remediation.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using var writer = new SqliteConnection(connectionString);
        writer.Open();
        new SqlitePragmas(5_000).Apply(writer);
        Execute(writer, "CREATE TABLE Blobs (Id INTEGER PRIMARY KEY, Data BLOB NOT NULL)");
        var before = new FileInfo(path).Length;

        // And the background checkpoint running
        using var checkpointer = new SqliteCheckpointer(connectionString, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);

        // When 300 transactions commit about 300 pages (far below the committers' own 10,000-page threshold)
        for (var i = 0; i < 300; i++) Execute(writer, $"INSERT INTO Blobs (Data) VALUES (randomblob(4000))");

        // Then the database file soon holds them: the WAL was copied without any commit doing it
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (new FileInfo(path).Length < before + 300 * 4000 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(new FileInfo(path).Length >= before + 300 * 4000, $"database file is {new FileInfo(path).Length:N0} bytes");
        await checkpointer.StopAsync(CancellationToken.None);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
