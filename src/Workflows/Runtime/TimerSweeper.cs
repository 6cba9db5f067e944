using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// Keeps timers and outbox entries moving when their Hangfire job is gone or stuck. The engine's tables are the truth and
/// Hangfire only the alarm clock, so after a crash (jobs lost with in-memory storage, or fetched by the killed process and
/// invisible for minutes on SQL Server) this class re-arms or does the work itself:
/// <list type="bullet">
/// <item><see cref="SweepAsync"/> (start-up, then minutely) schedules wake-ups for timers due within
/// <see cref="WorkflowOptions.TimerSweepHorizon"/> whose job is missing, and re-queues pending outbox entries;</item>
/// <item><see cref="RunOverdueAsync"/> (the watchdog, every few seconds) fires timers and runs outbox entries still waiting
/// <see cref="WorkflowOptions.OverdueGrace"/> after their time, whatever their job's state. Firing is idempotent and an
/// outbox entry is claimed before its handler runs, so a late Hangfire job that does the same is harmless.</item>
/// </list>
/// </summary>
internal sealed class TimerSweeper(EngineServices services, IWorkflowRuntime runtime, OutboxProcessor outbox)
{
    /// <summary>Two sweeps apart plus slack: a minutely sweep sees every timer before it is due.</summary>
    private static readonly TimeSpan MinimumHorizon = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How far ahead Hangfire holds wake-ups. A timer due later gets its job from a later sweep, so Hangfire never holds
    /// the hours- and days-long SLA and callback timers of every open case (most of them are cancelled before they fire;
    /// in memory they grew the portal by about 30 MB a minute under load).
    /// </summary>
    public static TimeSpan Horizon(WorkflowOptions options) => TimeSpan.FromTicks(Math.Max(options.TimerSweepHorizon.Ticks, MinimumHorizon.Ticks));
    /// <summary>At most this much work per watchdog pass; the next pass takes the rest, oldest first.</summary>
    private const int OverdueBatch = 500;

    /// <param name="startup">At start-up every pending outbox entry is queued (the jobs of the last process may be gone);
    /// later sweeps queue only those pending a minute past their attempt time.</param>
    /// <returns>How many wake-ups were scheduled.</returns>
    public async Task<int> SweepAsync(bool startup = false, CancellationToken ct = default)
    {
        await using var db = services.DbFactory.Create();
        var now = services.Clock.GetUtcNow().UtcDateTime;
        var horizon = now + Horizon(services.Options);
        var timers = await db.Set<WorkflowTimer>().AsNoTracking()
            .Where(t => t.Status == TimerStatus.Scheduled && t.DueAt <= horizon)
            .OrderBy(t => t.DueAt).Select(t => new { t.Id, t.DueAt, t.JobId }).Take(10_000).ToListAsync(ct);
        var jobs = timers.Where(t => t.JobId is null || !services.Scheduler.IsPending(t.JobId))
            .Select(t => (t.Id, JobId: services.Scheduler.ScheduleTimer(t.Id, t.DueAt))).ToList();
        // Set-based, and only on timers still scheduled: one may have fired since it was read (Status is the timer's
        // concurrency token, so a tracked save would fail the whole sweep).
        if (jobs.Count > 0)
            await services.Gate.RunAsync(async () =>
            {
                foreach (var (id, jobId) in jobs)
                    await db.Set<WorkflowTimer>().Where(t => t.Id == id && t.Status == TimerStatus.Scheduled)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), ct);
            }, ct);
        var armed = jobs.Count;

        var stale = startup ? DateTime.MaxValue : now - TimeSpan.FromMinutes(1);
        var entries = await db.Set<OutboxEntry>().AsNoTracking()
            .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAt <= stale)
            .OrderBy(o => o.NextAttemptAt) // oldest first when more than the limit wait; the filtered index serves it
            .Select(o => new { o.Id, o.NextAttemptAt }).Take(10_000).ToListAsync(ct);
        foreach (var entry in entries) services.Scheduler.ScheduleOutbox(entry.Id, entry.NextAttemptAt);
        return armed + entries.Count;
    }

    /// <returns>How many timers were fired and outbox entries run.</returns>
    public async Task<int> RunOverdueAsync(CancellationToken ct = default)
    {
        var before = services.Clock.GetUtcNow().UtcDateTime - services.Options.OverdueGrace;
        List<Guid> timers, entries;
        await using (var db = services.DbFactory.Create())
        {
            timers = await db.Set<WorkflowTimer>().AsNoTracking()
                .Where(t => t.Status == TimerStatus.Scheduled && t.DueAt <= before)
                .OrderBy(t => t.DueAt).Select(t => t.Id).Take(OverdueBatch).ToListAsync(ct);
            entries = await db.Set<OutboxEntry>().AsNoTracking()
                .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAt <= before)
                .OrderBy(o => o.NextAttemptAt).Select(o => o.Id).Take(OverdueBatch).ToListAsync(ct);
        }
        if (timers.Count + entries.Count > 0)
            services.Logger.LogWarning("Watchdog: {Timers} timer(s) and {Entries} outbox entr(ies) overdue by more than {Grace}; running them now",
                timers.Count, entries.Count, services.Options.OverdueGrace);
        foreach (var id in timers) await runtime.FireTimerAsync(id, ct);
        foreach (var id in entries) await outbox.ProcessAsync(id, ct);
        return timers.Count + entries.Count;
    }
}
