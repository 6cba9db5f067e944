using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Remediation.Workflows;

namespace Remediation.Portal.Infrastructure;

/// <summary>
/// On SQLite, every SaveChanges of the process (notifications sent, topic handlers, Identity, audit entries, case reads)
/// takes its turn at the engine's <see cref="IWriteGate"/> instead of competing with the engine's writer for SQLite's
/// write lock: a writer that finds the lock taken sleeps in SQLite's busy handler (1, 2, 5, 10 … 100 ms), which was most
/// of a step's latency under load (docs/performance.md, "Write path"). Saves made by the engine's writer itself already
/// hold the gate and pass straight through. The gate is looked up on first use: the engine's context factory builds
/// these options, and the gate depends on that factory.
/// </summary>
internal sealed class SerializedSaves(IServiceProvider services) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> entered = [];
    private IWriteGate? gate;

    /// <summary>Null in a host without the engine (nothing to take turns with).</summary>
    private IWriteGate? Gate => gate ??= services.GetService<IWriteGate>();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && Gate is { IsHeld: false } g)
        {
            g.EnterAsync(CancellationToken.None).GetAwaiter().GetResult();
            entered.AddOrUpdate(db, db);
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && Gate is { IsHeld: false } g)
        {
            await g.EnterAsync(cancellationToken);
            entered.AddOrUpdate(db, db);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) { Leave(eventData.Context); return result; }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Leave(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Leave(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    private void Leave(DbContext? db)
    {
        if (db is not null && entered.Remove(db)) Gate!.Exit();
    }
}
