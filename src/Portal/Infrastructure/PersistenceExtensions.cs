using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Remediation.Portal.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Remediation.Portal.Infrastructure;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers <see cref="RemediationDbContext"/> for the configured provider, pooled (a request then reuses an
    /// initialised context instead of building one: measurable at hundreds of requests per second, docs/performance.md).
    /// SQLite connections are opened with WAL, synchronous=FULL (a committed compensation survives power loss) and a busy timeout.
    /// </summary>
    public static WebApplicationBuilder AddRemediationPersistence(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddSingleton(options);

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.Services.AddRemediationSqlite(SqliteConnectionString(builder.Configuration, builder.Environment, options), options.BusyTimeoutMs);
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = builder.Configuration.GetConnectionString("SqlServer")
                    ?? throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is not set.");
                builder.Services.AddDbContextPool<RemediationDbContext, SqlServerRemediationDbContext>(o => o
                    .UseSqlServer(sqlServer, s => s.EnableRetryOnFailure()));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider '{options.Provider}' is not supported; use Sqlite or SqlServer.");
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<RemediationDbContext>("database");
        return builder;
    }

    /// <summary>
    /// The SQLite set-up, shared with the test hosts and the benchmark so they run what production runs: the pooled
    /// context (pooled options are singletons: the engine's context factory reuses them outside any request scope), the
    /// connection pragmas, open connections lent to requests and engine commands with their prepared statements, and the
    /// background WAL checkpoint (a hosted service; hosts without a generic host start it themselves).
    /// </summary>
    public static IServiceCollection AddRemediationSqlite(this IServiceCollection services, string connectionString, int busyTimeoutMs)
    {
        services.AddSingleton(new SqlitePragmas(busyTimeoutMs));
        services.AddSingleton(sp => new SqliteCheckpointer(connectionString, sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
        services.AddSingleton<SqliteStatementCache>();
        services.AddSingleton(sp => new SqliteLentConnections(connectionString, sp.GetRequiredService<SqlitePragmas>(), sp.GetRequiredService<SqliteStatementCache>()));
        services.AddSingleton<SerializedSaves>();
        services.AddDbContextPool<RemediationDbContext, SqliteRemediationDbContext>((sp, o) => o
            .UseSqlite(connectionString)
            .AddInterceptors(sp.GetRequiredService<SqlitePragmas>(), sp.GetRequiredService<SqliteStatementCache>(), sp.GetRequiredService<SerializedSaves>()));
        return services;
    }

    /// <summary>
    /// Lends each request's SQLite context an open connection from <see cref="SqliteLentConnections"/> and takes it back
    /// at the end of the request: EF Core does not open and close it around every query, and the connection's prepared
    /// statements (<see cref="SqliteStatementCache"/>) serve the next request that gets it.
    /// </summary>
    public static WebApplication UseLentSqliteConnections(this WebApplication app)
    {
        if (app.Services.GetService<SqliteLentConnections>() is not { } connections) return app;
        app.Use(async (context, next) =>
        {
            var db = context.RequestServices.GetRequiredService<RemediationDbContext>();
            // Already lent (a status-code page re-executes the pipeline within the request).
            if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
            {
                await next();
                return;
            }
            using (connections.Lend(db)) await next();
        });
        return app;
    }

    /// <summary>The SQLite connection string: <c>ConnectionStrings:Sqlite</c>, or a file in the data folder.</summary>
    public static string SqliteConnectionString(IConfiguration configuration, IHostEnvironment environment, DatabaseOptions options)
    {
        var configured = configuration.GetConnectionString("Sqlite");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var folder = Path.GetFullPath(options.DataFolder, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "remediation.db"),
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    /// <summary>Applies pending migrations for whichever provider is configured.</summary>
    public static async Task MigrateRemediationDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}

/// <summary>
/// Sets the per-connection SQLite pragmas when EF opens a connection. EF opens and closes the connection around every
/// query, but Microsoft.Data.Sqlite pools the underlying handle, and these settings live on that handle: they are set
/// once per handle, not five statements per query. <c>temp_store=MEMORY</c> keeps savepoint journals and sort space off
/// disk: the engine's group commit (a savepoint per command) otherwise created, wrote and deleted a temp file per batch.
/// Checkpoints are <see cref="SqliteCheckpointer"/>'s job; a connection only checkpoints itself past its fallback.
/// </summary>
public sealed class SqlitePragmas(int busyTimeoutMs) : DbConnectionInterceptor
{
    private static readonly object Applied = new();
    private readonly ConditionalWeakTable<object, object> handles = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public void Apply(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && handles.TryGetValue(handle, out _)) return;
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint={SqliteCheckpointer.FallbackPages};";
        command.ExecuteNonQuery();
        if (handle is not null) handles.AddOrUpdate(handle, Applied);
    }
}

/// <summary>
/// Keeps one prepared statement per SQLite connection and SQL text. Microsoft.Data.Sqlite prepares a statement per
/// command object and EF Core creates a new command for every query, so SQLite parsed and planned every query again —
/// about 150 µs for the queue's three-table join (dotnet/efcore#14044). Here EF's reader is served by a cached
/// <see cref="SqliteCommand"/> bound to the same parameters and transaction. A connection's statements are dropped when it
/// closes. Only connections handed to <see cref="Keep"/> cache: the ones <see cref="SqliteLentConnections"/> lends to requests
/// and engine commands.
/// </summary>
public sealed class SqliteStatementCache : DbCommandInterceptor
{
    /// <summary>Statements kept per connection; beyond it, the least recently added is finalised.</summary>
    public const int PerConnection = 64;

    private sealed class Statements : Dictionary<string, SqliteCommand>
    {
        public readonly Queue<string> Order = new();
    }

    private readonly ConditionalWeakTable<SqliteConnection, Statements> connections = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        command is SqliteCommand sqlite && Cached(sqlite) is { } cached ? InterceptionResult<DbDataReader>.SuppressWithResult(cached.ExecuteReader()) : result;

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        command is SqliteCommand sqlite && Cached(sqlite) is { } cached
            ? InterceptionResult<DbDataReader>.SuppressWithResult(await cached.ExecuteReaderAsync(cancellationToken))
            : result;

    /// <summary>
    /// Caches statements on <paramref name="connection"/> from now on (a long-lived connection; on one that EF opens and
    /// closes around each query a cache would only cost). Dropped when the connection closes.
    /// </summary>
    public void Keep(SqliteConnection connection)
    {
        if (!connections.TryAdd(connection, new Statements())) return;
        connection.StateChange += Dropped;
    }

    private void Dropped(object? sender, System.Data.StateChangeEventArgs e)
    {
        if (e.CurrentState != System.Data.ConnectionState.Closed || sender is not SqliteConnection connection) return;
        connection.StateChange -= Dropped;
        if (!connections.TryGetValue(connection, out var statements)) return;
        connections.Remove(connection);
        foreach (var cached in statements.Values) cached.Dispose();
    }

    /// <summary>How many statements <paramref name="connection"/> keeps (0 when it caches none).</summary>
    internal int StatementsOn(SqliteConnection connection) => connections.TryGetValue(connection, out var statements) ? statements.Count : 0;

    /// <summary>The connection's prepared command for this SQL, bound to the command's parameters; null to let EF run its own.</summary>
    private SqliteCommand? Cached(SqliteCommand command)
    {
        if (command.Connection is not { State: System.Data.ConnectionState.Open } connection
            || !connections.TryGetValue(connection, out var statements)) return null;
        var created = !statements.TryGetValue(command.CommandText, out var prepared);
        if (created)
        {
            if (statements.Count >= PerConnection && statements.Order.TryDequeue(out var oldest) && statements.Remove(oldest, out var evicted))
                evicted.Dispose();
            prepared = connection.CreateCommand();
            prepared.CommandText = command.CommandText;
            statements[command.CommandText] = prepared;
            statements.Order.Enqueue(command.CommandText);
        }
        prepared!.Transaction = command.Transaction;
        prepared.CommandTimeout = command.CommandTimeout;
        // Explicitly, as RowWriter does: Microsoft.Data.Sqlite keeps a statement prepared on first use only when that use
        // read every result, which a single-row read (FirstOrDefault: EF stops after one row) does not.
        if (created) prepared.Prepare();
        // EF's own parameter objects, as EF configured them (type mappings set SqliteType and Size).
        prepared.Parameters.Clear();
        foreach (SqliteParameter parameter in command.Parameters) prepared.Parameters.Add(parameter);
        return prepared;
    }
}

/// <summary>
/// Open SQLite connections lent to requests (<see cref="PersistenceExtensions.UseLentSqliteConnections"/>) and to the
/// engine's commands (<see cref="Remediation.Workflows.IWorkflowDbContextFactory.LendConnection"/>). A connection comes back
/// unless a transaction was left open on it; at most <see cref="MaxIdle"/> wait, the rest are closed.
/// </summary>
public sealed class SqliteLentConnections(string connectionString, SqlitePragmas pragmas, SqliteStatementCache statements) : IDisposable
{
    public const int MaxIdle = 64;
    private readonly System.Collections.Concurrent.ConcurrentQueue<SqliteConnection> idle = new();

    private string ConnectionString => connectionString;

    /// <summary>
    /// Sets an open connection on <paramref name="db"/> until the result is disposed, which puts the context back on its
    /// connection string (pooled contexts must not keep a lent connection) and returns the connection.
    /// </summary>
    public IDisposable Lend(DbContext db)
    {
        var connection = Rent();
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        return new Lease(this, db, connection);
    }

    private SqliteConnection Rent()
    {
        while (idle.TryDequeue(out var connection))
        {
            if (connection.State == System.Data.ConnectionState.Open) return connection;
            connection.Dispose();
        }
        var created = new SqliteConnection(connectionString);
        created.Open();
        pragmas.Apply(created);
        statements.Keep(created);
        return created;
    }

    private void Return(SqliteConnection connection, bool clean)
    {
        if (clean && idle.Count < MaxIdle) idle.Enqueue(connection);
        else connection.Dispose();
    }

    public void Dispose()
    {
        while (idle.TryDequeue(out var connection)) connection.Dispose();
    }

    private sealed class Lease(SqliteLentConnections owner, DbContext db, SqliteConnection connection) : IDisposable
    {
        private bool returned;

        public void Dispose()
        {
            if (returned) return;
            returned = true;
            db.Database.SetDbConnection(null);
            db.Database.SetConnectionString(owner.ConnectionString);
            // A transaction left open (EF's or the connection's own) would hold the write lock for the next borrower.
            var clean = connection.State == System.Data.ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;
            owner.Return(connection, clean);
        }
    }
}
