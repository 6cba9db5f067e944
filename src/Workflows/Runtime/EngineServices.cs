using System.Collections.Concurrent;
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

    public async Task<bool> IsProcessedAsync(string commandId, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        return await db.Set<ProcessedCommand>().AnyAsync(c => c.CommandId == commandId, ct);
    }
}

/// <summary>Serialises commits in this process when <see cref="WorkflowOptions.SerializeCommits"/> is on (SQLite has one writer).</summary>
internal sealed class CommitGate(WorkflowOptions options)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task RunAsync(Func<Task> commit, CancellationToken ct)
    {
        if (!options.SerializeCommits)
        {
            await commit();
            return;
        }
        await gate.WaitAsync(ct);
        try
        {
            await commit();
        }
        finally
        {
            gate.Release();
        }
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
        var definition = await db.Set<WorkflowDefinition>().AsNoTracking()
            .Where(d => d.ProcessId == processId && d.Status == DefinitionStatus.Published)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct);
        return definition is null ? null : (definition, Model(definition));
    }
}
