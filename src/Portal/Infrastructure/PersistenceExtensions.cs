using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Remediation.Portal.Data;
using System.Data.Common;

namespace Remediation.Portal.Infrastructure;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers <see cref="RemediationDbContext"/> for the configured provider. SQLite connections
    /// are opened with WAL, synchronous=FULL (a committed compensation survives power loss) and a busy timeout.
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
                // Options are singletons: the engine's context factory reuses them outside any request scope.
                builder.Services.AddDbContext<RemediationDbContext, SqliteRemediationDbContext>((sp, o) => o
                    .UseSqlite(sqlite)
                    .AddInterceptors(sp.GetRequiredService<SqlitePragmas>()), optionsLifetime: ServiceLifetime.Singleton);
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = builder.Configuration.GetConnectionString("SqlServer")
                    ?? throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is not set.");
                builder.Services.AddDbContext<RemediationDbContext, SqlServerRemediationDbContext>(o => o
                    .UseSqlServer(sqlServer, s => s.EnableRetryOnFailure()), optionsLifetime: ServiceLifetime.Singleton);
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

/// <summary>Sets the per-connection SQLite pragmas every time EF opens a connection.</summary>
public sealed class SqlitePragmas(int busyTimeoutMs) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON;";
        command.ExecuteNonQuery();
    }
}
