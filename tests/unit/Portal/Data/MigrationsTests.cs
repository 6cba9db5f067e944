using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;
using Xunit;

namespace Remediation.UnitTests.Portal.Data;

public sealed class MigrationsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("remediation-migrations-").FullName;

    [Fact]
    public async Task Migrate_CreatesIdentityAndAuditTables_OnAFreshSqliteFile()
    {
        var path = Path.Combine(_folder, "remediation.db");
        await using (var db = new SqliteRemediationDbContext(new DbContextOptionsBuilder<SqliteRemediationDbContext>()
            .UseSqlite($"Data Source={path}").Options))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        Assert.Contains("AspNetUsers", tables);
        Assert.Contains("AspNetRoles", tables);
        Assert.Contains("AspNetUserRoles", tables);
        Assert.Contains("AuditEntries", tables);
    }

    [Fact]
    public void SqliteMigrations_MatchTheModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run scripts/add-migration.sh: the SQLite model has changes no migration covers.");
    }

    [Fact]
    public void SqlServerMigrations_MatchTheModel()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run scripts/add-migration.sh: the SQL Server model has changes no migration covers.");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } // best effort: temp folder
    }
}
