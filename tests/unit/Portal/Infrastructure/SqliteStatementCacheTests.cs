using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Xunit;

namespace Remediation.UnitTests.Portal.Infrastructure;

/// <summary>Connections lent to requests keep their prepared statements; answers stay those of a fresh statement.</summary>
public sealed class SqliteStatementCacheTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("remediation-statements-").FullName;
    private readonly SqlitePragmas pragmas = new(5_000);
    private readonly SqliteStatementCache cache = new();
    private string connectionString = "";
    private SqliteLentConnections connections = null!;

    public async Task InitializeAsync()
    {
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "remediation.db"), Pooling = true }.ToString();
        connections = new SqliteLentConnections(connectionString, pragmas, cache);
        await using var db = Context();
        await db.Database.MigrateAsync();
        db.Users.AddRange(new ApplicationUser { Id = "u1", UserName = "one", DisplayName = "One" },
            new ApplicationUser { Id = "u2", UserName = "two", DisplayName = "Two" });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        connections.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task LentConnection_ReusesOneStatement_WithEachCallsParameters_AndSeesWritesFromOtherConnections()
    {
        // Given a context on a lent connection, as a request gets it
        await using var db = Context();
        using var lease = connections.Lend(db);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        Task<string?> NameAsync(string id) => db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.DisplayName).SingleOrDefaultAsync();

        // When the same query runs with other parameters, then each call gets its own row from one cached statement
        Assert.Equal("One", await NameAsync("u1"));
        Assert.Equal("Two", await NameAsync("u2"));
        Assert.Null(await NameAsync("nobody"));
        Assert.Equal(1, cache.StatementsOn(connection));

        // When another connection commits a change, then the cached statement reads it (no snapshot kept between queries)
        await using (var writer = Context())
        {
            (await writer.Users.SingleAsync(u => u.Id == "u1")).DisplayName = "Uno";
            await writer.SaveChangesAsync();
        }
        Assert.Equal("Uno", await NameAsync("u1"));

        // And inside a transaction on the lent connection
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal("Two", await NameAsync("u2"));
            await transaction.CommitAsync();
        }

        // When the connection closes, then its statements go, and the next open answers through EF's own command
        connection.Close();
        Assert.Equal(0, cache.StatementsOn(connection));
        await connection.OpenAsync();
        Assert.Equal("Two", await NameAsync("u2"));
        Assert.Equal(0, cache.StatementsOn(connection));
    }

    [Fact]
    public async Task OnlyLentConnections_CacheStatements()
    {
        await using var db = Context();
        await db.Database.OpenConnectionAsync();

        Assert.Equal("One", await db.Users.AsNoTracking().Where(u => u.Id == "u1").Select(u => u.DisplayName).SingleAsync());

        Assert.Equal(0, cache.StatementsOn((SqliteConnection)db.Database.GetDbConnection()));
    }

    [Fact]
    public async Task ALeaseGivesTheConnectionBack_AndTheContextItsOwn_UnlessATransactionWasLeftOpen()
    {
        await using var db = Context();

        // Given a lease given back with no transaction open
        var lease = connections.Lend(db);
        var first = db.Database.GetDbConnection();
        lease.Dispose();

        // Then the context is back on a connection of its own (a pooled context must not keep it), the connection stays
        // open, and the next lease gets it again
        Assert.NotSame(first, db.Database.GetDbConnection());
        Assert.Equal("One", await db.Users.AsNoTracking().Where(u => u.Id == "u1").Select(u => u.DisplayName).SingleAsync());
        Assert.Equal(System.Data.ConnectionState.Open, first.State);
        lease = connections.Lend(db);
        Assert.Same(first, db.Database.GetDbConnection());

        // When a lease ends with a transaction left open on its connection
        await using var transaction = await first.BeginTransactionAsync();
        lease.Dispose();

        // Then that connection is closed (its transaction rolled back), not lent again
        Assert.Equal(System.Data.ConnectionState.Closed, first.State);
        using (connections.Lend(db)) Assert.NotSame(first, db.Database.GetDbConnection());
    }

    private SqliteRemediationDbContext Context() => new(new DbContextOptionsBuilder<SqliteRemediationDbContext>()
        .UseSqlite(connectionString).AddInterceptors(pragmas, cache).Options);
}
