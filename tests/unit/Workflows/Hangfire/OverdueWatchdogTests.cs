using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Hangfire;

/// <summary>
/// Work whose Hangfire job never comes (lost with the process, or fetched by a killed process and invisible): the
/// watchdog fires the timer or runs the outbox entry itself once it is overdue past the grace, exactly once.
/// </summary>
public sealed class OverdueWatchdogTests
{
    [Fact]
    public async Task RunOverdue_FiresTimerOnce_WhenItsJobNeverRuns()
    {
        // Given an instance waits on a 2-second timer and no Hangfire server runs its wake-up job,
        var clock = new TestClock();
        await using var host = new WorkflowTestHost(clock: clock);
        await host.PublishAsync("timer-short.bpmn");
        var id = await host.StartAsync("timer-short");
        var watchdog = host.Services.GetRequiredService<TimerSweeper>();
        var grace = host.Services.GetRequiredService<Remediation.Workflows.WorkflowOptions>().OverdueGrace;

        // When the timer is due but within the grace, the watchdog leaves it to its job;
        clock.Advance(TimeSpan.FromSeconds(2) + grace / 2);
        Assert.Equal(0, await watchdog.RunOverdueAsync());
        Assert.Contains("Wait", await host.ActiveAsync(id));

        // Then past the grace it fires it, once, however often the watchdog runs.
        clock.Advance(grace);
        Assert.Equal(1, await watchdog.RunOverdueAsync());
        Assert.Equal(0, await watchdog.RunOverdueAsync());
        Assert.Contains("Callback", await host.ActiveAsync(id));
        Assert.Single(await host.Runtime.GetJournalAsync(id), j => j.ElementId == "Wait" && j.Kind == JournalKind.Completed);
    }

    [Fact]
    public async Task Outbox_RunsHandlerOnce_WhenTheEntryIsDeliveredTwiceAtOnce()
    {
        // Given an acknowledgement waits in the outbox and its handler takes half a second,
        await using var host = new WorkflowTestHost();
        await host.PublishAsync("service.bpmn");
        var id = await host.StartAsync("service");
        host.Effects.Delay = TimeSpan.FromMilliseconds(500);
        var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync());
        var processor = host.Services.GetRequiredService<OutboxProcessor>();

        // When its job and the watchdog (or a second process) deliver it at the same moment,
        await Task.WhenAll(processor.ProcessAsync(entry.Id), processor.ProcessAsync(entry.Id));

        // Then the handler ran once and the instance moved on once.
        Assert.Equal(1, host.Effects.Calls);
        Assert.Contains("Review", await host.ActiveAsync(id));
        Assert.Equal(OutboxStatus.Done, (await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync())).Status);
    }

    [Fact]
    public async Task Outbox_RunsAgainAfterTheLease_WhenTheProcessDiedInTheHandler()
    {
        // Given a process claimed an outbox entry and was killed while its handler ran (the claim is left behind),
        var clock = new TestClock();
        await using var host = new WorkflowTestHost(clock: clock);
        await host.PublishAsync("service.bpmn");
        var id = await host.StartAsync("service");
        var lease = host.Services.GetRequiredService<Remediation.Workflows.WorkflowOptions>().OutboxLease;
        var leaseEnd = clock.GetUtcNow().UtcDateTime + lease;
        await host.QueryAsync(db => db.Set<OutboxEntry>().ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, leaseEnd)));
        var watchdog = host.Services.GetRequiredService<TimerSweeper>();

        // When the watchdog looks while the lease holds, it leaves the entry alone;
        clock.Advance(lease / 2);
        Assert.Equal(0, await watchdog.RunOverdueAsync());
        Assert.Equal(0, host.Effects.Calls);

        // Then once the lease and the grace have passed it runs the handler, once.
        clock.Advance(lease);
        Assert.Equal(1, await watchdog.RunOverdueAsync());
        Assert.Equal(1, host.Effects.Calls);
        Assert.Contains("Review", await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Sweep_AtStartup_QueuesEveryPendingOutboxEntry_WhenTheJobsWereLostWithTheProcess()
    {
        // Given a process took three complaints and died before their acknowledgements were sent,
        string folder;
        await using (var crashed = new WorkflowTestHost() { KeepFolder = true })
        {
            folder = crashed.Folder;
            await crashed.PublishAsync("service.bpmn");
            for (var i = 0; i < 3; i++) await crashed.StartAsync("service", businessKey: $"case-{i}");
        }

        // When the next process starts (its in-memory job storage is empty) and sweeps as start-up does,
        await using var restarted = new WorkflowTestHost(folder);
        Assert.Equal(3, await restarted.Services.GetRequiredService<TimerSweeper>().SweepAsync(startup: true));
        restarted.StartJobServer();

        // Then every acknowledgement is sent, each once.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await restarted.QueryAsync(db => db.Set<OutboxEntry>().CountAsync(o => o.Status == OutboxStatus.Done)) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the acknowledgements were not sent");
            await Task.Delay(100);
        }
        Assert.Equal(3, restarted.Effects.Effects.Count);
        Assert.All(restarted.Effects.Effects.Values, count => Assert.Equal(1, count));
    }
}
