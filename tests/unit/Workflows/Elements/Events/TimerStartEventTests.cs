using Xunit;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements.Events;

/// <summary>Timer start events: each due time starts exactly one instance, across restarts, racing deliveries and two processes.</summary>
public sealed class TimerStartEventTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public TimerStartEventTests() => host = new WorkflowTestHost(clock: clock) { KeepFolder = true };
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(host.Folder, recursive: true);
    }

    private Task<List<WorkflowTimer>> StartTimersAsync() =>
        host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.DefinitionId != null).OrderBy(t => t.DueAt).ToListAsync());

    private Task<List<WorkflowInstance>> InstancesAsync(string processId) =>
        host.QueryAsync(db => db.Set<WorkflowInstance>().Where(i => i.ProcessId == processId).OrderBy(i => i.CreatedAt).ToListAsync());

    [Fact]
    public async Task Cycle_StartsOneInstancePerDueTime_ThreeTimes_ThenStops()
    {
        await host.PublishAsync("timer-start.bpmn");
        var armed = Assert.Single(await StartTimersAsync());
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(1), armed.DueAt);
        Assert.Equal(Guid.Empty, armed.InstanceId);

        // No none start event: it cannot be started by hand.
        var byHand = await host.Runtime.StartAsync(new StartProcess("timer-start", "x", null, UserId: "alice"));
        Assert.Equal(WorkflowOutcome.Invalid, byHand.Outcome);

        Assert.True((await host.Runtime.FireTimerAsync(armed.Id)).IsOk); // woken early: nothing starts
        Assert.Empty(await InstancesAsync("timer-start"));

        for (var hour = 1; hour <= 5; hour++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await host.FireDueTimersAsync(clock);
        }

        var instances = await InstancesAsync("timer-start");
        Assert.Equal(3, instances.Count);
        foreach (var instance in instances) Assert.Equal(["Check"], await host.ActiveAsync(instance.Id));
        var timers = await StartTimersAsync();
        Assert.Equal(3, timers.Count);
        Assert.All(timers, t => Assert.Equal(TimerStatus.Fired, t.Status));
        Assert.Equal([1, 2, 3], timers.Select(t => (int)(t.DueAt - armed.DueAt).TotalHours + 1));
    }

    [Fact]
    public async Task RepeatedAndConcurrentDeliveries_OfOneDueTime_StartOneInstance()
    {
        await host.PublishAsync("timer-start.bpmn");
        var armed = Assert.Single(await StartTimersAsync());
        clock.Advance(TimeSpan.FromHours(1));

        // Hangfire's job, the watchdog and a duplicate delivery at once.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => host.Runtime.FireTimerAsync(armed.Id))));
        Assert.True((await host.Runtime.FireTimerAsync(armed.Id)).IsOk);

        Assert.Single(await InstancesAsync("timer-start"));
        Assert.All(results, r => Assert.True(r.IsOk || r.Outcome == WorkflowOutcome.Conflict, r.Message));
        var timers = await StartTimersAsync();
        Assert.Equal(2, timers.Count); // the fired one and the next due time, once
        Assert.Equal(TimerStatus.Scheduled, timers[1].Status);
    }

    [Fact]
    public async Task TwoProcessesOverOneDatabase_AndARestart_StartOneInstancePerDueTime()
    {
        await host.PublishAsync("timer-start.bpmn");
        var armed = Assert.Single(await StartTimersAsync());
        clock.Advance(TimeSpan.FromHours(1));

        // A second node over the same file fires the same due time at the same moment as the first.
        await using (var other = new WorkflowTestHost(host.Folder, clock) { KeepFolder = true })
            await Task.WhenAll(Task.Run(() => host.Runtime.FireTimerAsync(armed.Id)), Task.Run(() => other.Runtime.FireTimerAsync(armed.Id)));
        Assert.Single(await InstancesAsync("timer-start"));

        // A restart after the next due time passed: the timer rows are the truth, so the new process fires it once.
        clock.Advance(TimeSpan.FromHours(1));
        await using (var restarted = new WorkflowTestHost(host.Folder, clock) { KeepFolder = true })
        {
            await restarted.FireDueTimersAsync(clock);
            await restarted.FireDueTimersAsync(clock);
        }
        Assert.Equal(2, (await InstancesAsync("timer-start")).Count);
    }

    [Fact]
    public async Task PublishingANewVersion_ReplacesTheOldVersionsStartTimers()
    {
        await host.PublishAsync("timer-start.bpmn");
        var v1 = Assert.Single(await StartTimersAsync());
        clock.Advance(TimeSpan.FromMinutes(30));
        await host.PublishAsync("timer-start.bpmn");

        var timers = await StartTimersAsync();
        Assert.Equal(TimerStatus.Cancelled, timers.Single(t => t.Id == v1.Id).Status);
        var v2 = timers.Single(t => t.Id != v1.Id);
        Assert.Equal(TimerStatus.Scheduled, v2.Status);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(1), v2.DueAt);

        // Firing the cancelled one does nothing; the new version's starts an instance of version 2.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await host.Runtime.FireTimerAsync(v1.Id)).IsOk);
        Assert.Empty(await InstancesAsync("timer-start"));
        await host.FireDueTimersAsync(clock);
        Assert.Equal(2, Assert.Single(await InstancesAsync("timer-start")).DefinitionVersion);
    }

    [Fact]
    public async Task DateTimer_NextToANoneStart_StartsOnceAtItsDate_AndTheNoneStartStaysForStartingByHand()
    {
        await host.PublishAsync("timer-start-and-none.bpmn");
        var manual = await host.StartAsync("timer-start-and-none");
        Assert.Equal(["Manual"], await host.ActiveAsync(manual));

        var armed = Assert.Single(await StartTimersAsync());
        Assert.Equal(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), armed.DueAt);
        clock.Advance(TimeSpan.FromHours(4));
        await host.FireDueTimersAsync(clock);

        var fromTimer = Assert.Single(await InstancesAsync("timer-start-and-none"), i => i.Id != manual);
        Assert.Equal(["AtNoon"], await host.ActiveAsync(fromTimer.Id));
        Assert.Equal(TimerStatus.Fired, Assert.Single(await StartTimersAsync()).Status);
    }

    [Fact]
    public async Task Publish_RefusesATimerStartWithAnExpression_OrInsideASubProcess()
    {
        var expression = WorkflowTestHost.Fixture("timer-start.bpmn").Replace("R3/PT1H", "${interval}");
        var problems = await host.Definitions.ValidateAsync(expression);
        Assert.Contains(problems, p => p.ElementId == "Start_hourly" && p.Message.Contains("cannot be an expression"));

        var nested = WorkflowTestHost.Fixture("subprocess.bpmn");
        var at = nested.IndexOf("<bpmn:startEvent", nested.IndexOf("<bpmn:subProcess", StringComparison.Ordinal), StringComparison.Ordinal);
        var close = nested.IndexOf("/>", at, StringComparison.Ordinal);
        var tag = nested[at..close];
        nested = nested[..at] + tag + "><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>" + nested[(close + 2)..];
        problems = await host.Definitions.ValidateAsync(nested);
        Assert.Contains(problems, p => p.Message.Contains("has a timer start event"));
    }
}
