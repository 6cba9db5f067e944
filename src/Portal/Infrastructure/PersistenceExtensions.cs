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
                var sqlite = SqliteConnectionString(builder.Configuration, builder.Environment, options);
                builder.Services.AddSingleton(new SqlitePragmas(options.BusyTimeoutMs));
                // Pooled options are singletons: the engine's context factory reuses them outside any request scope.
                builder.Services.AddDbContextPool<RemediationDbContext, SqliteRemediationDbContext>((sp, o) => o
                    .UseSqlite(sqlite)
                    .AddInterceptors(sp.GetRequiredService<SqlitePragmas>()));
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
/// once per handle, not four statements per query.
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
        command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON;";
        command.ExecuteNonQuery();
        if (handle is not null) handles.AddOrUpdate(handle, Applied);
    }
}
