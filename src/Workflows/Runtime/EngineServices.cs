using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>The singletons a command needs.</summary>
internal sealed class EngineServices(
    IWorkflowDbContextFactory dbFactory,
    TimeProvider clock,
    ScriptEvaluator scripts,
    DefinitionCache definitions,
    WorkflowOptions options,
    IWorkflowJobScheduler scheduler,
    CommitGate gate,
    ILogger<EngineServices> logger)
{
    public IWorkflowDbContextFactory DbFactory => dbFactory;
    public TimeProvider Clock => clock;
    public ScriptEvaluator Scripts => scripts;
    public DefinitionCache Definitions => definitions;
    public WorkflowOptions Options => options;
    public IWorkflowJobScheduler Scheduler => scheduler;
    public CommitGate Gate => gate;
    public ILogger Logger => logger;
    public InstanceTurns Turns { get; } = new();

    /// <summary>On a context of its own: after a failed commit the command's context holds the rejected changes.</summary>
    public async Task<bool> IsProcessedAsync(string commandId, CancellationToken ct)
    {
        await using var context = await EngineContext.OpenAsync(dbFactory, ct);
        return await IsProcessedAsync(context.Db, commandId, ct);
    }

    public static Task<bool> IsProcessedAsync(DbContext db, string commandId, CancellationToken ct) =>
        db.Set<ProcessedCommand>().AnyAsync(c => c.CommandId == commandId, ct);

    /// <summary>Who last changed the instance (its newest journal entry) and when, for a conflict.</summary>
    public async Task<ConflictInfo?> LastActorAsync(Guid instanceId, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        var last = await db.Set<JournalEntry>().AsNoTracking().Where(j => j.InstanceId == instanceId)
            .OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);
        return last is null ? null : new(last.UserId, last.At);
    }
}

/// <summary>
/// Commits engine commands. With <see cref="WorkflowOptions.SerializeCommits"/> (SQLite: one writer) a single writer
/// loop group-commits: the commands waiting at that moment share one transaction and one fsync, each inside its own
/// savepoint, so a failing or conflicting command is rolled back alone and the others still commit. A caller's task
/// completes only after the transaction holding its command is durable. Otherwise each command commits in its own
/// transaction inside the provider's execution strategy (SQL Server retries).
/// </summary>
internal sealed class CommitGate(WorkflowOptions options, IWorkflowDbContextFactory dbFactory) : IWriteGate, IDisposable
{
    private const int MaxBatch = 128;
    /// <summary>Set in the async flow that holds the gate, so a save inside it (the writer's own) does not wait for itself.</summary>
    private static readonly AsyncLocal<bool> holding = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Channel<Request> queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock startLock = new();
    private Task? writer;
    // The writer's own context and connection, open for the process lifetime (used by the write loop only).
    private DbContext? writerDb;
    private RowWriter? rows;

    private sealed record Request(DbContext Db, TaskCompletionSource Done);

    public bool IsHeld => holding.Value;

    public async Task EnterAsync(CancellationToken ct)
    {
        if (options.SerializeCommits) await gate.WaitAsync(ct);
    }

    public void Exit()
    {
        if (options.SerializeCommits) gate.Release();
    }

    /// <summary>Runs a small save exclusively (outside any batch).</summary>
    public async Task RunAsync(Func<Task> commit, CancellationToken ct)
    {
        if (!options.SerializeCommits)
        {
            await commit();
            return;
        }
        await gate.WaitAsync(ct);
        holding.Value = true;
        try
        {
            await commit();
        }
        finally
        {
            holding.Value = false;
            gate.Release();
        }
    }

    /// <summary>Saves <paramref name="context"/>'s changes (after <paramref name="onCommit"/>) atomically; throws what SaveChanges throws.</summary>
    public async Task CommitAsync(EngineContext context, OnCommit? onCommit, CancellationToken ct)
    {
        var db = context.Db;
        if (!options.SerializeCommits)
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (onCommit is not null) await onCommit(db, ct);
                await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
                await transaction.CommitAsync(ct);
            });
            db.ChangeTracker.AcceptAllChanges();
            return;
        }
        // The hook runs here, before the single writer: its reads use the command's own (lent) connection and run in
        // parallel with other commands, and the writer only writes. What it changed is written with the command's rows;
        // a change made by someone else in between fails on a concurrency token (the instance's row version, the host's).
        if (onCommit is not null) await onCommit(db, ct);
        // The writer runs this command on the batch's connection; the command's read connection is done with.
        await context.ReleaseConnectionAsync();
        lock (startLock) writer ??= Task.Run(WriteLoopAsync);
        var request = new Request(db, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(request, ct);
        await request.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<Request>();
            while (batch.Count < MaxBatch && reader.TryRead(out var request)) batch.Add(request);
            var failures = new Dictionary<Request, Exception>();
            await gate.WaitAsync();
            holding.Value = true;
            try
            {
                await CommitBatchAsync(batch, failures);
            }
            catch (Exception e)
            {
                foreach (var request in batch) failures.TryAdd(request, e);
            }
            finally
            {
                holding.Value = false;
                gate.Release();
            }
            // Callers resume only now: the leader's context (and its connection) must outlive the batch.
            foreach (var request in batch)
            {
                if (failures.TryGetValue(request, out var failure)) request.Done.TrySetException(failure);
                else
                {
                    request.Db.ChangeTracker.AcceptAllChanges();
                    request.Done.TrySetResult();
                }
            }
        }
    }

    private async Task CommitBatchAsync(List<Request> batch, Dictionary<Request, Exception> failures)
    {
        if (writerDb is null)
        {
            writerDb = dbFactory.Create();
            await writerDb.Database.OpenConnectionAsync(); // the host's connection interceptors run here, once
            rows = new RowWriter(writerDb.Database.GetDbConnection());
        }
        var connection = writerDb.Database.GetDbConnection();
        var connectionString = writerDb.Database.GetConnectionString();
        try
        {
            await using var transaction = await writerDb.Database.BeginTransactionAsync();
            var tx = transaction.GetDbTransaction();
            var statements = rows!;
            // A batch of one needs no savepoint: its failure rolls back the whole transaction, which is only its own.
            var isolate = batch.Count > 1;
            foreach (var request in batch)
            {
                request.Db.Database.SetDbConnection(connection, contextOwnsConnection: false);
                await request.Db.Database.UseTransactionAsync(tx);
                if (isolate) statements.Execute("SAVEPOINT command", tx);
                try
                {
                    // Engine rows through prepared statements; anything else the host added goes through EF Core.
                    if (!statements.TryWrite(request.Db, tx))
                        await request.Db.SaveChangesAsync(acceptAllChangesOnSuccess: false);
                    if (isolate) statements.Execute("RELEASE command", tx);
                }
                catch (Exception e)
                {
                    if (isolate) statements.Execute("ROLLBACK TO command", tx);
                    failures[request] = e;
                }
            }
            if (failures.Count < batch.Count) await transaction.CommitAsync();
        }
        catch
        {
            // A broken connection is not reused; the next batch opens a fresh one.
            rows?.Dispose();
            rows = null;
            await writerDb.DisposeAsync();
            writerDb = null;
            throw;
        }
        finally
        {
            // Contexts are pooled: each borrowed connection is handed back, so no context keeps the writer's.
            foreach (var request in batch)
            {
                await request.Db.Database.UseTransactionAsync(null);
                request.Db.Database.SetDbConnection(null);
                request.Db.Database.SetConnectionString(connectionString);
            }
        }
    }

    public void Dispose()
    {
        queue.Writer.TryComplete();
        writer?.Wait(TimeSpan.FromSeconds(5));
        rows?.Dispose();
        writerDb?.Dispose();
    }
}

/// <summary>Parsed models by definition id (a published definition never changes, so they are cached for good).</summary>
internal sealed class DefinitionCache(BpmnParser parser)
{
    private readonly ConcurrentDictionary<Guid, ProcessModel> models = new();

    public ProcessModel Model(WorkflowDefinition definition) => models.GetOrAdd(definition.Id, _ =>
        parser.Parse(definition.Xml).Model ?? throw new InvalidOperationException($"Stored definition {definition.ProcessId} v{definition.Version} no longer parses."));

    public async Task<ProcessModel> ModelAsync(DbContext db, Guid definitionId, CancellationToken ct)
    {
        if (models.TryGetValue(definitionId, out var model)) return model;
        var definition = await db.Set<WorkflowDefinition>().AsNoTracking().FirstAsync(d => d.Id == definitionId, ct);
        return Model(definition);
    }

    public async Task<(WorkflowDefinition Definition, ProcessModel Model)?> LatestAsync(DbContext db, string processId, CancellationToken ct)
    {
        // Only the key columns: the XML is read once per definition, when the model is not cached yet.
        var latest = await HotQueries.LatestPublished(db, processId, ct);
        if (latest is null) return null;
        return (latest, await ModelAsync(db, latest.Id, ct));
    }
}
