using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Payments;
using Remediation.Portal.Reviews;
using Remediation.Workflows;

namespace Remediation.Portal.Infrastructure;

public static class WorkflowExtensions
{
    /// <summary>
    /// Registers the BPMN engine over <see cref="RemediationDbContext"/> (configuration section <c>Workflows</c>).
    /// Hangfire itself (storage, server with ~1 s polling, job activator) is registered by the Hangfire setup.
    /// </summary>
    public static WebApplicationBuilder AddRemediationWorkflows(this WebApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddWorkflowEngine(options =>
        {
            builder.Configuration.GetSection(WorkflowOptions.Section).Bind(options);
            // SQLite has one writer: queue commits in-process instead of failing on lock upgrades.
            options.SerializeCommits = database.Provider == DatabaseProvider.Sqlite;
            // A process that runs no Hangfire server does no background work, the watchdog's included.
            if (!builder.Configuration.GetValue("Hangfire:Server:Enabled", true)) options.WatchdogInterval = TimeSpan.Zero;
        });
        builder.Services.AddSingleton<IWorkflowDbContextFactory, RemediationWorkflowDbContextFactory>();
        builder.Services.AddRemediationWorkflowCatalog();
        return builder;
    }

    /// <summary>
    /// The portal's service-task topics (<c>AddWorkflowTopicHandler&lt;T&gt;("topic")</c>) and form keys
    /// (<c>AddWorkflowFormKeys(...)</c>); shared with <c>bpmn validate</c> so the CLI checks the same names.
    /// </summary>
    public static IServiceCollection AddRemediationWorkflowCatalog(this IServiceCollection services) =>
        services.AddWorkflowRegistry().AddComplaintWorkflowCatalog().AddReviewWorkflowCatalog().AddPaymentWorkflowCatalog();
}

/// <summary>
/// Gives the engine its own <see cref="RemediationDbContext"/> per command, from a pool: a command creates two or three
/// contexts, and setting up a fresh one (its internal services, model lookup) cost more CPU than the command's own
/// queries (docs/performance.md). The options come from one scope kept for the factory's lifetime (they hold that
/// scope's provider for logging and interceptors); the concrete context type follows the configured provider. On SQLite a
/// command's reads run on a lent open connection that keeps its prepared statements (<see cref="SqliteLentConnections"/>).
/// </summary>
internal sealed class RemediationWorkflowDbContextFactory : IWorkflowDbContextFactory, IDisposable
{
    private readonly IServiceScope scope;
    private readonly Func<DbContext> create;
    private readonly SqliteLentConnections? connections;

    public RemediationWorkflowDbContextFactory(IServiceScopeFactory scopes)
    {
        scope = scopes.CreateScope();
        connections = scope.ServiceProvider.GetService<SqliteLentConnections>();
        create = scope.ServiceProvider.GetRequiredService<DbContextOptions>() switch
        {
            DbContextOptions<SqliteRemediationDbContext> sqlite => new PooledDbContextFactory<SqliteRemediationDbContext>(sqlite).CreateDbContext,
            DbContextOptions<SqlServerRemediationDbContext> sqlServer => new PooledDbContextFactory<SqlServerRemediationDbContext>(sqlServer).CreateDbContext,
            var other => throw new InvalidOperationException($"No engine context for options of {other.ContextType.Name}."),
        };
    }

    public DbContext Create() => create();

    public IDisposable? LendConnection(DbContext db) => connections?.Lend(db);

    public void Dispose() => scope.Dispose();
}
