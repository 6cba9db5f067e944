using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// Timer start events: each due time of a published definition's timer start event starts exactly one instance.
/// <list type="bullet">
/// <item>Publishing a version arms its timer start events (a <see cref="WorkflowTimer"/> row with
/// <see cref="WorkflowTimer.DefinitionId"/>, first due per <see cref="TimerSpec.FirstDue"/>) and cancels the scheduled ones
/// of earlier versions of the process, in the publish transaction (as Camunda 7 replaces timer start jobs on deployment).</item>
/// <item>Firing starts the instance, marks the row fired and, for a cycle, adds the next due time, in one command. Two
/// processes firing one row conflict on its <c>Status</c> (a concurrency token); a due time exists once (unique
/// definition + element + due time), so restarts and several nodes never start two instances for it.</item>
/// <item>A row whose definition is no longer the latest version (a publish raced the firing) is cancelled, not run.</item>
/// </list>
/// </summary>
internal static class StartTimers
{
    /// <summary>Cancels the scheduled start timers of <paramref name="processId"/>'s earlier versions and arms those of
    /// <paramref name="published"/>; returns the new rows (for their wake-ups after the commit).</summary>
    public static async Task<List<WorkflowTimer>> ArmAsync(DbContext db, WorkflowDefinition published, ProcessModel model, DateTime now, CancellationToken ct)
    {
        var older = await db.Set<WorkflowDefinition>().Where(d => d.ProcessId == published.ProcessId && d.Id != published.Id)
            .Select(d => d.Id).ToListAsync(ct);
        if (older.Count > 0)
        {
            var scheduled = await db.Set<WorkflowTimer>()
                .Where(t => t.DefinitionId != null && older.Contains(t.DefinitionId.Value) && t.Status == TimerStatus.Scheduled).ToListAsync(ct);
            foreach (var timer in scheduled) timer.Status = TimerStatus.Cancelled;
        }
        var armed = model.StartEvents.Where(s => s.Timer is not null)
            .Select(start => New(published.Id, start.Id, start.Timer!.FirstDue(now), start.Timer.Repetition())).ToList();
        db.AddRange(armed);
        return armed;
    }

    public static async Task<WorkflowResult> FireAsync(EngineServices services, CommandSession session, WorkflowTimer timer, Guid definitionId, CancellationToken ct)
    {
        timer.Status = TimerStatus.Fired;
        var definition = await session.Db.Set<WorkflowDefinition>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == definitionId, ct);
        var latest = definition is null ? null : await HotQueries.LatestPublished(session.Db, definition.ProcessId, ct);
        if (definition is null || latest?.Id != definitionId)
        {
            timer.Status = TimerStatus.Cancelled; // a newer version was published meanwhile; it has its own start timers
            return await session.CommitAsync(null, null, () => Task.FromResult<ConflictInfo?>(null), ct) ?? WorkflowResult.Ok();
        }
        var model = services.Definitions.Model(definition);
        if (model.Nodes.GetValueOrDefault(timer.ElementId) is not StartEvent { Timer: not null } start)
            return WorkflowResult.Invalid($"Timer start event '{timer.ElementId}' is not in {definition.ProcessId} v{definition.Version}.");
        session.CreateInstance(definition, model, start, null, null, [], null);
        if (timer.RemainingRepeats != 0 && timer.RepeatInterval is not null && TimerSpec.TryDuration(timer.RepeatInterval, out var interval))
            session.AddStartTimer(New(definitionId, start.Id, timer.DueAt + interval, (timer.RemainingRepeats < 0 ? -1 : timer.RemainingRepeats - 1, timer.RepeatInterval)));
        await session.DrainAsync(ct);
        try
        {
            return await session.CommitAsync(null, null, () => Task.FromResult<ConflictInfo?>(null), ct) ?? WorkflowResult.Ok();
        }
        catch (DbUpdateException)
        {
            // Another delivery (or process) fired this due time first, and its next due time collided with ours.
            if (!await FiredElsewhereAsync(services, timer.Id, ct)) throw;
            return WorkflowResult.Conflicted("This timer was fired by another delivery at the same time; nothing was saved.", null);
        }
    }

    private static async Task<bool> FiredElsewhereAsync(EngineServices services, Guid timerId, CancellationToken ct)
    {
        await using var db = services.DbFactory.Create();
        return await db.Set<WorkflowTimer>().AnyAsync(t => t.Id == timerId && t.Status != TimerStatus.Scheduled, ct);
    }

    private static WorkflowTimer New(Guid definitionId, string elementId, DateTime dueAt, (int Remaining, string? Interval) repeat) => new()
    {
        Id = Guid.CreateVersion7(),
        DefinitionId = definitionId,
        ElementId = elementId,
        DueAt = dueAt,
        RepeatInterval = repeat.Interval,
        RemainingRepeats = repeat.Remaining,
        Status = TimerStatus.Scheduled,
    };
}
