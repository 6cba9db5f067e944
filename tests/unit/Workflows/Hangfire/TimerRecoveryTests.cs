using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Hangfire;

public sealed class TimerRecoveryTests
{
    [Fact]
    public async Task Sweep_RearmsTimers_AndEachFiresExactlyOnce_WhenHangfireStorageWasWiped()
    {
        // Given three instances wait on 2-second timers and the process dies before any fires,
        // When Hangfire's storage is deleted and a new process sweeps (twice, as start-up and the minutely job would),
        // Then every timer fires exactly once.
        Guid[] ids;
        string folder;
        await using (var crashed = new WorkflowTestHost() { KeepFolder = true })
        {
            folder = crashed.Folder;
            await crashed.PublishAsync("timer-short.bpmn");
            ids = [await crashed.StartAsync("timer-short"), await crashed.StartAsync("timer-short"), await crashed.StartAsync("timer-short")];
        }

        await using var restarted = new WorkflowTestHost(folder);
        var sweeper = restarted.Services.GetRequiredService<TimerSweeper>();
        Assert.Equal(3, await sweeper.SweepAsync());
        Assert.Equal(0, await sweeper.SweepAsync());   // jobs exist now: nothing to re-arm
        restarted.StartJobServer();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        foreach (var id in ids)
            while (!(await restarted.ActiveAsync(id)).Contains("Callback"))
            {
                Assert.True(DateTime.UtcNow < deadline, "timer did not fire");
                await Task.Delay(100);
            }
        await Task.Delay(1000);   // give any duplicate delivery the chance to misbehave

        foreach (var id in ids)
        {
            Assert.Single(await restarted.Runtime.GetJournalAsync(id), j => j.ElementId == "Wait" && j.Kind == JournalKind.Completed);
            Assert.Single(await restarted.Runtime.GetTasksOfInstanceAsync(id));
        }
        Assert.All(await restarted.QueryAsync(db => db.Set<WorkflowTimer>().ToListAsync()), t => Assert.Equal(TimerStatus.Fired, t.Status));
    }

    [Fact]
    public async Task Sweep_LeavesTimersBeyondTheHorizon_UntilTheyComeWithinIt()
    {
        // Given an instance waits on a one-hour timer and Hangfire's storage is lost,
        var clock = new TestClock();
        string folder;
        await using (var crashed = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = crashed.Folder;
            await crashed.PublishAsync("timer.bpmn");
            await crashed.StartAsync("timer");
        }
        await using var restarted = new WorkflowTestHost(folder, clock);
        var sweeper = restarted.Services.GetRequiredService<TimerSweeper>();

        // When the start-up sweep runs, nothing is armed (the timer is 60 minutes out, the horizon 5);
        Assert.Equal(0, await sweeper.SweepAsync());

        // Then a minutely sweep arms it once it is due within the horizon, and only once.
        clock.Advance(TimeSpan.FromMinutes(56));
        Assert.Equal(1, await sweeper.SweepAsync());
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.NotNull(Assert.Single(await restarted.QueryAsync(db => db.Set<WorkflowTimer>().ToListAsync())).JobId);
    }

    [Fact]
    public async Task Start_GivesHangfireNoJob_ForATimerBeyondTheHorizon()
    {
        // Given a process that waits on a one-hour timer,
        await using var host = new WorkflowTestHost();
        await host.PublishAsync("timer.bpmn");

        // When an instance starts,
        await host.StartAsync("timer");

        // Then the timer row is scheduled but Hangfire holds no wake-up for it yet (the minutely sweep arms it within 5 minutes of due).
        var timer = Assert.Single(await host.QueryAsync(db => db.Set<WorkflowTimer>().ToListAsync()));
        Assert.Equal(TimerStatus.Scheduled, timer.Status);
        Assert.Null(timer.JobId);
        Assert.Equal(0, host.Storage.GetMonitoringApi().ScheduledCount());
    }
}
