using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// The reads every task completion (and start) makes, compiled once: EF then skips translating and caching the LINQ
/// expression on each call, which was a measurable share of a command's CPU (docs/engine.md, Benchmark).
/// </summary>
internal static class HotQueries
{
    public sealed record TaskAndInstance(WorkItem Item, WorkflowInstance Instance);

    /// <summary>A work item and its instance, both tracked, in one round trip.</summary>
    public static readonly Func<DbContext, Guid, CancellationToken, Task<TaskAndInstance?>> TaskWithInstance =
        EF.CompileAsyncQuery((DbContext db, Guid taskId, CancellationToken _) => db.Set<WorkItem>()
            .Where(w => w.Id == taskId)
            .Join(db.Set<WorkflowInstance>(), w => w.InstanceId, i => i.Id, (w, i) => new TaskAndInstance(w, i))
            .FirstOrDefault());

    public static readonly Func<DbContext, Guid, CancellationToken, Task<WorkflowInstance?>> Instance =
        EF.CompileAsyncQuery((DbContext db, Guid instanceId, CancellationToken _) => db.Set<WorkflowInstance>().FirstOrDefault(i => i.Id == instanceId));

    public static readonly Func<DbContext, Guid, IAsyncEnumerable<WorkItem>> TasksOfInstance =
        EF.CompileAsyncQuery<DbContext, Guid, WorkItem>((db, instanceId) => db.Set<WorkItem>().AsNoTracking()
            .Where(w => w.InstanceId == instanceId).OrderBy(w => w.CreatedAt));

    /// <summary>The latest published version of a process, key columns only (every start reads it).</summary>
    public static readonly Func<DbContext, string, CancellationToken, Task<WorkflowDefinition?>> LatestPublished =
        EF.CompileAsyncQuery((DbContext db, string processId, CancellationToken _) => db.Set<WorkflowDefinition>().AsNoTracking()
            .Where(d => d.ProcessId == processId && d.Status == DefinitionStatus.Published)
            .OrderByDescending(d => d.Version)
            .Select(d => new WorkflowDefinition { Id = d.Id, ProcessId = d.ProcessId, Version = d.Version, Status = d.Status })
            .FirstOrDefault());
}
