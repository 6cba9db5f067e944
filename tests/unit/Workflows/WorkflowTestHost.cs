using Xunit;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows;

/// <summary>A clock tests can move.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => now;
    public void Advance(TimeSpan by) => now += by;
}

/// <summary>Records what topic handlers did, keyed by idempotency key (one effect per key).</summary>
public sealed class EffectLog
{
    private readonly Lock gate = new();
    public Dictionary<string, int> Effects { get; } = [];
    public int Calls;
    public int FailuresLeft;
    public bool AlwaysFail;
    /// <summary>How long the handler takes (a slow mail server).</summary>
    public TimeSpan Delay;

    public void Record(string key)
    {
        lock (gate) Effects[key] = Effects.GetValueOrDefault(key) + 1;
    }
}

public sealed class RecordingHandler(EffectLog log) : IWorkflowTopicHandler
{
    public async Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref log.Calls);
        if (log.Delay > TimeSpan.Zero) await Task.Delay(log.Delay, cancellationToken);
        if (log.AlwaysFail || Interlocked.Decrement(ref log.FailuresLeft) >= 0) throw new InvalidOperationException("mail server down");
        log.Record(context.IdempotencyKey);
        return new Dictionary<string, object?> { ["acknowledged"] = true };
    }
}

/// <summary>
/// The check-eligibility handler: raises the business error named by the variable <c>raise</c> (with message <c>because</c>),
/// fails technically when <c>crash</c> is true, else says eligible.
/// </summary>
public sealed class EligibilityHandler : IWorkflowTopicHandler
{
    public Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        if (context.Variables["crash"]?.GetValue<bool>() == true) throw new InvalidOperationException("credit bureau unreachable");
        if (context.Variables["raise"]?.GetValue<string>() is { } code) throw new BpmnErrorException(code, context.Variables["because"]?.GetValue<string>());
        return Task.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?> { ["eligible"] = true });
    }
}

/// <summary>
/// The engine over a real SQLite file and Hangfire's in-memory storage, composed like the portal composes it.
/// A second host over the same folder is a restarted process.
/// </summary>
public sealed class WorkflowTestHost : IAsyncDisposable
{
    public static readonly WorkflowUser Alice = new("alice", ["Handler"]);
    public static readonly WorkflowUser Bob = new("bob", ["Handler"]);
    public static readonly WorkflowUser Sam = new("sam", ["Supervisor"]);

    private BackgroundJobServer? server;

    /// <param name="lendConnections">False: the engine's factory lends no open connection, so each command opens its
    /// context's own (the path a host without lending, such as SQL Server, takes).</param>
    public WorkflowTestHost(string? folder = null, TimeProvider? clock = null, Action<WorkflowOptions>? configure = null, EffectLog? effects = null,
        bool lendConnections = true)
    {
        Folder = folder ?? Directory.CreateTempSubdirectory("wf-").FullName;
        Effects = effects ?? new EffectLog();
        // Like the portal on SQLite: jobs in memory, so a second host over the same folder is a restart that lost them all.
        Storage = new InMemoryStorage();

        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(Folder, "remediation.db"), Pooling = true }.ToString();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddRemediationSqlite(connection, 5000);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddWorkflowEngine(o =>
        {
            o.OutboxBackoff = TimeSpan.FromMilliseconds(200);
            o.OutboxMaxAttempts = 3;
            configure?.Invoke(o);
        });
        if (lendConnections) services.AddSingleton<IWorkflowDbContextFactory, RemediationWorkflowDbContextFactory>();
        else services.AddSingleton<IWorkflowDbContextFactory>(sp => new OwnConnections(ActivatorUtilities.CreateInstance<RemediationWorkflowDbContextFactory>(sp)));
        services.AddSingleton<JobStorage>(Storage);
        services.AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(Storage));
        services.AddSingleton<IRecurringJobManager>(new RecurringJobManager(Storage));
        services.AddSingleton(Effects);
        services.AddWorkflowTopicHandler<RecordingHandler>("send-acknowledgement");
        services.AddWorkflowTopicHandler<EligibilityHandler>("check-eligibility");
        services.AddWorkflowFormKeys("complaint-review", "approve-compensation");
        Services = services.BuildServiceProvider();

        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<RemediationDbContext>().Database.Migrate();
    }

    public string Folder { get; }
    /// <summary>Leave the database behind on dispose, for a second host (a restarted process) to open.</summary>
    public bool KeepFolder { get; init; }
    public EffectLog Effects { get; }
    public InMemoryStorage Storage { get; }
    public ServiceProvider Services { get; }
    public IWorkflowRuntime Runtime => Services.GetRequiredService<IWorkflowRuntime>();
    public IWorkflowDefinitions Definitions => Services.GetRequiredService<IWorkflowDefinitions>();

    /// <summary>Starts a Hangfire server that runs the engine's jobs from this provider.</summary>
    public void StartJobServer() => server = new BackgroundJobServer(
        new BackgroundJobServerOptions { SchedulePollingInterval = TimeSpan.FromMilliseconds(250), WorkerCount = 2, Activator = new ProviderActivator(Services) },
        Storage);

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Workflows", "Fixtures", name));

    public async Task PublishAsync(params string[] fixtures)
    {
        foreach (var name in fixtures)
        {
            var draft = await Definitions.SaveDraftAsync(Fixture(name));
            Assert.True(draft.IsOk, string.Join("; ", draft.Problems));
            var published = await Definitions.PublishAsync(draft.Value!.ProcessId);
            Assert.True(published.IsOk, published.Message + " " + string.Join("; ", published.Problems));
        }
    }

    public async Task<Guid> StartAsync(string processId, object? variables = null, string? businessKey = null)
    {
        var result = await Runtime.StartAsync(new StartProcess(processId, businessKey ?? "case-1", Vars(variables), UserId: "alice"));
        Assert.True(result.IsOk, result.Message);
        return result.Value;
    }

    public static IReadOnlyDictionary<string, object?>? Vars(object? anonymous) =>
        anonymous?.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(anonymous));

    public async Task<WorkItemView> OpenTaskAsync(Guid instanceId, string elementId) =>
        (await Runtime.GetTasksOfInstanceAsync(instanceId)).Single(t => t.ElementId == elementId && t.Status == WorkItemStatus.Open);

    public async Task<WorkflowResult> CompleteAsync(Guid instanceId, string elementId, WorkflowUser? user = null, object? variables = null)
    {
        var task = await OpenTaskAsync(instanceId, elementId);
        return await Runtime.CompleteTaskAsync(new CompleteTask(task.Id, user ?? Alice, Vars(variables), Guid.NewGuid().ToString()));
    }

    public async Task<IReadOnlyList<string>> ActiveAsync(Guid instanceId) => (await Runtime.GetInstanceAsync(instanceId))!.ActiveElementIds;

    public async Task<T> QueryAsync<T>(Func<DbContext, Task<T>> query)
    {
        await using var db = Services.GetRequiredService<IWorkflowDbContextFactory>().Create();
        return await query(db);
    }

    /// <summary>What the Hangfire wake-up does, for every timer due on the (test) clock.</summary>
    public async Task FireDueTimersAsync(TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.Status == TimerStatus.Scheduled && t.DueAt <= now).Select(t => t.Id).ToListAsync());
        foreach (var id in due) Assert.True((await Runtime.FireTimerAsync(id)).IsOk);
    }

    public async ValueTask DisposeAsync()
    {
        server?.SendStop();
        server?.Dispose();
        await Services.DisposeAsync();
        Storage.Dispose();
        SqliteConnection.ClearAllPools();
        if (!KeepFolder) Directory.Delete(Folder, recursive: true);
    }

    private sealed class ProviderActivator(IServiceProvider services) : JobActivator
    {
        public override object ActivateJob(Type jobType) => ActivatorUtilities.GetServiceOrCreateInstance(services, jobType);
    }
}

/// <summary>The portal's engine factory without its connection lending (<see cref="IWorkflowDbContextFactory.LendConnection"/> stays null).</summary>
internal sealed class OwnConnections(RemediationWorkflowDbContextFactory inner) : IWorkflowDbContextFactory, IDisposable
{
    public DbContext Create() => inner.Create();

    public void Dispose() => inner.Dispose();
}
