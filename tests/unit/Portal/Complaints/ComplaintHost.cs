using System.Security.Claims;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Remediation.Domain.Complaints;
using Remediation.Domain.ServiceLevels;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Payments;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;
using Xunit;

namespace Remediation.UnitTests.Portal.Complaints;

/// <summary>A clock tests can move.</summary>
public sealed class MovableClock : TimeProvider
{
    private DateTimeOffset now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => now;
    public void Advance(TimeSpan by) => now += by;
}

/// <summary>
/// The complaint services composed as the portal composes them, over a real SQLite file, Hangfire's in-memory storage as the portal uses it
/// (nothing runs the jobs: tests drive the outbox and timers themselves) and the shipped BPMN, with a movable clock.
/// </summary>
public sealed class ComplaintHost : IAsyncDisposable
{
    public const string Password = "Test!2026x";

    public ComplaintHost(ServiceLevelPolicy? serviceLevels = null, int outboxMaxAttempts = 2)
    {
        Folder = Directory.CreateTempSubdirectory("complaints-").FullName;
        Storage = new InMemoryStorage();
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(Folder, "remediation.db"), Pooling = true }.ToString();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddRemediationSqlite(connection, 5000);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(new DatabaseOptions { DataFolder = Folder });
        services.AddSingleton<IHostEnvironment>(new Environment(Folder));
        services.AddHttpContextAccessor();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<RemediationDbContext>();
        services.AddWorkflowEngine(o => o.OutboxMaxAttempts = outboxMaxAttempts);
        services.AddSingleton<IWorkflowDbContextFactory, RemediationWorkflowDbContextFactory>();
        services.AddSingleton<JobStorage>(Storage);
        services.AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(Storage));
        services.AddSingleton<IRecurringJobManager>(new RecurringJobManager(Storage));
        services.AddRemediationWorkflowCatalog();
        services.AddSingleton(serviceLevels ?? new ServiceLevelPolicy());
        services.AddSingleton(new ComplaintOptions());
        services.AddScoped<INotificationSender, FileNotificationSender>();
        services.AddScoped<ISmsSender, FileSmsSender>();
        services.AddScoped<CustomerMessages>();
        services.AddScoped<ComplaintIntake>();
        services.AddScoped<ComplaintSteps>();
        services.AddScoped<ComplaintQueue>();
        services.AddScoped<ComplaintSearch>();
        services.AddScoped<WorkOrderDesk>();
        services.AddScoped<CustomerCalls>();
        services.AddScoped<Remediation.Portal.Team.TeamDesk>();
        services.AddSingleton<ComplaintWorkflowPublisher>();
        // The development gateway confirms when a test calls ConfirmDueAsync (nothing runs in the background here).
        services.AddRemediationPayments(new PaymentOptions { Gateway = PaymentOptions.DevelopmentGateway, Development = Gateway }, background: false);
        Services = services.BuildServiceProvider();
    }

    public string Folder { get; }
    public MovableClock Clock { get; } = new();
    /// <summary>The development gateway's switches; tests flip them while the host runs.</summary>
    public DevelopmentGatewayOptions Gateway { get; } = new() { ConfirmAfter = TimeSpan.Zero };
    public InMemoryStorage Storage { get; }
    public ServiceProvider Services { get; }
    public IWorkflowRuntime Runtime => Services.GetRequiredService<IWorkflowRuntime>();

    public static async Task<ComplaintHost> StartAsync(ServiceLevelPolicy? serviceLevels = null, int outboxMaxAttempts = 2)
    {
        var host = new ComplaintHost(serviceLevels, outboxMaxAttempts);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RemediationDbContext>().Database.MigrateAsync();
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All) await roles.CreateAsync(new IdentityRole(role));
        }
        await host.Services.GetRequiredService<ComplaintWorkflowPublisher>().StartAsync(default);
        return host;
    }

    /// <summary>Creates a user with the roles and returns it as the engine sees it.</summary>
    public async Task<WorkflowUser> UserAsync(string name, params string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = $"{name}@test.local", Email = $"{name}@test.local", DisplayName = name };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (roles.Length > 0) Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return new WorkflowUser(user.Id, roles);
    }

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> body)
    {
        await using var scope = Services.CreateAsyncScope();
        return await body(scope.ServiceProvider);
    }

    public static IntakeRequest PhoneIntake(string phone = "+86 138-0013-8000", string? order = "ORD-1") => new()
    {
        ContactName = "Li Lei", Phone = phone, Goods = "Kettle", OrderReference = order, PickupAddress = "1 Road", DeliveryAddress = "2 Street",
        Channel = ComplaintChannel.Phone, Account = "The kettle leaks and nobody answered my e-mails.",
    };

    public async Task<(Guid Id, string Reference)> ReceiveAsync(WorkflowUser by, IntakeRequest? request = null)
    {
        var result = await WithAsync(sp => sp.GetRequiredService<ComplaintIntake>().ReceiveAsync(request ?? PhoneIntake(), by.Id, allowDuplicate: true, default));
        Assert.True(result.Outcome == IntakeOutcome.Created,
            $"{result.Outcome}: {string.Join("; ", result.Errors?.Select(e => $"{e.Field}: {string.Format(e.Message, e.Arguments)}") ?? [])}");
        await RunOutboxAsync();
        return (result.ComplaintId!.Value, result.Reference!);
    }

    public Task<Complaint> ComplaintAsync(Guid id) =>
        WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Complaint>().AsNoTracking().FirstAsync(c => c.Id == id));

    public Task<List<WorkItem>> OpenTasksAsync(string reference) =>
        WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<WorkItem>().AsNoTracking()
            .Where(w => w.BusinessKey == reference && w.Status == WorkItemStatus.Open).ToListAsync());

    public async Task<WorkItem> OpenTaskAsync(string reference, string formKey) =>
        (await OpenTasksAsync(reference)).Single(w => w.FormKey == formKey);

    public async Task<StepResult> CompleteAsync(Guid complaintId, string reference, string formKey, WorkflowUser user,
        Func<Complaint, IReadOnlyDictionary<string, object?>> apply, string? commandId = null, Guid? taskId = null)
    {
        var task = taskId ?? (await OpenTaskAsync(reference, formKey)).Id;
        var result = await WithAsync(sp => sp.GetRequiredService<ComplaintSteps>()
            .CompleteAsync(complaintId, task, commandId ?? Guid.NewGuid().ToString("N"), user, user.Id, formKey, apply, default));
        await RunOutboxAsync();
        return result;
    }

    /// <summary>What the Hangfire outbox jobs do: run every pending handler until none is left.</summary>
    public async Task RunOutboxAsync()
    {
        var processor = Services.GetRequiredService<OutboxProcessor>();
        for (var round = 0; round < 10; round++)
        {
            var now = Clock.GetUtcNow().UtcDateTime.AddSeconds(1);
            var pending = await WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<OutboxEntry>()
                .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAt <= now).Select(o => o.Id).ToListAsync());
            if (pending.Count == 0) return;
            foreach (var id in pending) await processor.ProcessAsync(id);
        }
    }

    /// <summary>Moves the clock and does what the Hangfire timer wake-ups do for every timer now due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        var now = Clock.GetUtcNow().UtcDateTime;
        var due = await WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<WorkflowTimer>()
            .Where(t => t.Status == TimerStatus.Scheduled && t.DueAt <= now).Select(t => t.Id).ToListAsync());
        foreach (var id in due) Assert.True((await Runtime.FireTimerAsync(id)).IsOk);
        await RunOutboxAsync();
    }

    /// <summary>What the development gateway's background confirmer does: confirm every instruction now due, then run the outbox.</summary>
    public async Task<int> ConfirmPaymentsAsync()
    {
        var confirmed = await Services.GetRequiredService<DevelopmentGatewayConfirmer>().ConfirmDueAsync(default);
        await RunOutboxAsync();
        return confirmed;
    }

    public Task<List<AuditEntry>> AuditAsync() =>
        WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<AuditEntry>().AsNoTracking().ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Storage.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "Remediation.Portal";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
