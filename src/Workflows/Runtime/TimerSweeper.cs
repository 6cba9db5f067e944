using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// Re-arms timers whose wake-up job is missing (Hangfire storage wiped, process killed between commit and
/// scheduling), and outbox entries left pending. Runs at start-up and every minute, over the timers due within
/// <see cref="WorkflowOptions.TimerSweepHorizon"/> (overdue ones included).
/// </summary>
internal sealed class TimerSweeper(EngineServices services)
{
    /// <summary>Two sweeps apart plus slack: a minutely sweep sees every timer before it is due.</summary>
    private static readonly TimeSpan MinimumHorizon = TimeSpan.FromMinutes(2);

    /// <returns>How many wake-ups were scheduled.</returns>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        await using var db = services.DbFactory.Create();
        var now = services.Clock.GetUtcNow().UtcDateTime;
        var horizon = now + TimeSpan.FromTicks(Math.Max(services.Options.TimerSweepHorizon.Ticks, MinimumHorizon.Ticks));
        var timers = await db.Set<WorkflowTimer>()
            .Where(t => t.Status == TimerStatus.Scheduled && t.DueAt <= horizon)
            .OrderBy(t => t.DueAt).Take(10_000).ToListAsync(ct);
        var armed = 0;
        foreach (var timer in timers.Where(t => t.JobId is null || !services.Scheduler.IsPending(t.JobId)))
        {
            timer.JobId = services.Scheduler.ScheduleTimer(timer.Id, timer.DueAt);
            armed++;
        }
        await services.Gate.RunAsync(async () => await db.SaveChangesAsync(ct), ct);

        // Pending entries well past their attempt time lost their job; processing re-checks state, so a duplicate is harmless.
        var stale = now - TimeSpan.FromMinutes(1);
        var entries = await db.Set<OutboxEntry>().AsNoTracking()
            .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAt <= stale)
            .OrderBy(o => o.NextAttemptAt) // oldest first when more than the limit wait; the filtered index serves it
            .Select(o => new { o.Id, o.NextAttemptAt }).Take(10_000).ToListAsync(ct);
        foreach (var entry in entries) services.Scheduler.ScheduleOutbox(entry.Id, entry.NextAttemptAt);
        return armed + entries.Count;
    }
}
