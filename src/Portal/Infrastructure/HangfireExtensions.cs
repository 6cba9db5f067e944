using Hangfire;
using Hangfire.Dashboard;
using Hangfire.SqlServer;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Authorization;
using Remediation.Portal.Data;

namespace Remediation.Portal.Infrastructure;

public static class HangfireExtensions
{
    /// <summary>How often Hangfire polls for due and queued jobs: timers fire within ~2 s of due.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hangfire storage for the configured database provider and, unless <c>Hangfire:Server:Enabled</c> is false, an
    /// in-process server. SQLite (the embedded default): jobs are kept in memory (Hangfire.InMemory) and re-armed from the
    /// engine's tables at every start — there is no job file to corrupt or to lose (docs/decisions.md). SQL Server: the
    /// same database, schema <c>HangFire</c>. Jobs are resolved from DI (Hangfire.AspNetCore's activator) and must be
    /// enqueued through <see cref="IBackgroundJobClient"/>.
    /// </summary>
    public static WebApplicationBuilder AddRemediationHangfire(this WebApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var sqlServer = builder.Configuration.GetConnectionString("SqlServer");

        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // Finished jobs are kept 2 minutes, not Hangfire's 24 hours: in memory they would grow with every job
                // (three per complaint), and the history that matters is in the engine's tables.
                config.UseInMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromMinutes(2) });
            }
            else
            {
                config.UseSqlServerStorage(sqlServer, new SqlServerStorageOptions
                {
                    QueuePollInterval = PollInterval,
                    PrepareSchemaIfNecessary = true,
                });
            }
        });

        if (builder.Configuration.GetValue("Hangfire:Server:Enabled", true))
        {
            builder.Services.AddHangfireServer(o => o.SchedulePollingInterval = PollInterval);
        }
        return builder;
    }

    /// <summary>The dashboard at /hangfire, for <see cref="Roles.Admin"/> only (anonymous users are sent to the login page).</summary>
    public static IEndpointConventionBuilder MapRemediationHangfireDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            AsyncAuthorization = [new AdminDashboardAuthorizationFilter()],
            DisplayStorageConnectionString = false,
            AppPath = "/",
        }).RequireAuthorization(IdentityExtensions.AdminPolicy);
}

/// <summary>
/// Hangfire's own check, evaluated for every dashboard request including its AJAX calls: the same Admin
/// policy the endpoint requires, so the dashboard stays closed even if the endpoint mapping changes.
/// </summary>
public sealed class AdminDashboardAuthorizationFilter : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(http.User, IdentityExtensions.AdminPolicy);
        if (!result.Succeeded)
        {
            await http.RequestServices.GetRequiredService<IAuditLog>()
                .WriteAsync(AuditEvents.AccessDenied, http.User.Identity?.Name, $"{http.Request.Method} {http.Request.Path}");
        }
        return result.Succeeded;
    }
}
