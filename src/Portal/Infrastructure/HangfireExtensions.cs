using Hangfire;
using Hangfire.Dashboard;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Authorization;
using Remediation.Portal.Data;

namespace Remediation.Portal.Infrastructure;

public static class HangfireExtensions
{
    /// <summary>How often Hangfire polls for due and queued jobs: timers fire within ~2 s of due.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hangfire storage for the configured database provider (SQLite: a separate <c>hangfire.db</c> in the
    /// data folder; SQL Server: the same database, schema <c>HangFire</c>) and, unless
    /// <c>Hangfire:Server:Enabled</c> is false, an in-process server. Jobs are resolved from DI
    /// (Hangfire.AspNetCore's activator) and must be enqueued through <see cref="IBackgroundJobClient"/>.
    /// </summary>
    public static WebApplicationBuilder AddRemediationHangfire(this WebApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var sqlitePath = database.Provider == DatabaseProvider.Sqlite ? SqliteStoragePath(builder.Environment, database) : null;
        var sqlServer = builder.Configuration.GetConnectionString("SqlServer");

        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (sqlitePath is not null)
            {
                config.UseSQLiteStorage(sqlitePath, new SQLiteStorageOptions { QueuePollInterval = PollInterval });
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

    /// <summary>The Hangfire SQLite file: <c>hangfire.db</c> beside the portal database.</summary>
    public static string SqliteStoragePath(IHostEnvironment environment, DatabaseOptions options)
    {
        var folder = Path.GetFullPath(options.DataFolder, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "hangfire.db");
    }
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
