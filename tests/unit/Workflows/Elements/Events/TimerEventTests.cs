using Xunit;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements.Events;

public sealed class TimerEventTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public TimerEventTests() => host = new WorkflowTestHost(clock: clock);
    public Task InitializeAsync() => host.PublishAsync("timer.bpmn", "boundary-interrupting.bpmn", "boundary-noninterrupting.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<List<WorkflowTimer>> TimersAsync(Guid id) =>
        host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id).OrderBy(t => t.DueAt).ToListAsync());

    [Fact]
    public async Task CatchTimer_WaitsUntilDue_ThenContinues()
    {
        var id = await host.StartAsync("timer");
        var timer = Assert.Single(await TimersAsync(id));
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(1), timer.DueAt);

        // An early wake-up is harmless: nothing moves.
        Assert.True((await host.Runtime.FireTimerAsync(timer.Id)).IsOk);
        Assert.Equal(["Wait"], await host.ActiveAsync(id));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await host.Runtime.FireTimerAsync(timer.Id)).IsOk);
        Assert.True((await host.Runtime.FireTimerAsync(timer.Id)).IsOk); // a repeated delivery is harmless too
        Assert.Equal(["Callback"], await host.ActiveAsync(id));
        Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id));
    }

    [Fact]
    public async Task InterruptingBoundary_CancelsTask_AndStartsEscalation_WhenDue()
    {
        var id = await host.StartAsync("boundary-interrupting");
        clock.Advance(TimeSpan.FromHours(4));
        await host.FireDueTimersAsync(clock);

        var tasks = await host.Runtime.GetTasksOfInstanceAsync(id);
        Assert.Equal(WorkItemStatus.Cancelled, tasks.Single(t => t.ElementId == "Respond").Status);
        Assert.Equal(WorkItemStatus.Open, tasks.Single(t => t.ElementId == "Escalate").Status);
        Assert.Equal(["Escalate"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task InterruptingBoundary_IsCancelled_WhenTaskCompletesFirst()
    {
        var id = await host.StartAsync("boundary-interrupting");
        await host.CompleteAsync(id, "Respond");
        clock.Advance(TimeSpan.FromHours(5));
        await host.FireDueTimersAsync(clock);

        Assert.Equal(TimerStatus.Cancelled, Assert.Single(await TimersAsync(id)).Status);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public async Task NonInterruptingBoundary_SpawnsEscalationEachCycle_AndKeepsTaskOpen()
    {
        var id = await host.StartAsync("boundary-noninterrupting");
        for (var hour = 0; hour < 4; hour++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await host.FireDueTimersAsync(clock);
        }

        var tasks = await host.Runtime.GetTasksOfInstanceAsync(id);
        Assert.Equal(WorkItemStatus.Open, tasks.Single(t => t.ElementId == "Respond").Status);
        Assert.Equal(2, tasks.Count(t => t.ElementId == "Remind"));   // R2: two occurrences, then no more

        await host.CompleteAsync(id, "Respond");
        foreach (var remind in tasks.Where(t => t.ElementId == "Remind"))
            Assert.True((await host.Runtime.CompleteTaskAsync(new CompleteTask(remind.Id, WorkflowTestHost.Sam, null, Guid.NewGuid().ToString()))).IsOk);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }
}
