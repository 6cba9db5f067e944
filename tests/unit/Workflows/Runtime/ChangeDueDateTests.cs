using Microsoft.EntityFrameworkCore;
using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>A supervisor moves a task's due date: the SLA timer follows it (fixture task-sla.bpmn).</summary>
public sealed class ChangeDueDateTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public ChangeDueDateTests() => host = new WorkflowTestHost(clock: clock);
    public Task InitializeAsync() => host.PublishAsync("task-sla.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private Task<List<WorkflowTimer>> TimersAsync(Guid id, string elementId) =>
        host.QueryAsync(db => db.Set<WorkflowTimer>().AsNoTracking().Where(t => t.InstanceId == id && t.ElementId == elementId).ToListAsync());

    [Fact]
    public async Task ChangeDueDate_RearmsTheSlaTimer_AndLeavesOtherTimers()
    {
        var id = await host.StartAsync("task-sla");
        var task = await host.OpenTaskAsync(id, "Respond");
        var newDue = Now.AddHours(8);

        var result = await host.Runtime.ChangeDueDateAsync(task.Id, WorkflowTestHost.Sam, newDue, "customer abroad until tonight");

        Assert.True(result.IsOk, result.Message);
        Assert.Equal(newDue, (await host.Runtime.GetTaskAsync(task.Id))!.DueAt);
        Assert.Equal(newDue, Assert.Single(await TimersAsync(id, "Sla")).DueAt);
        Assert.Equal(Now.AddHours(1), Assert.Single(await TimersAsync(id, "Reminder")).DueAt);
        var journal = await host.Runtime.GetJournalAsync(id);
        Assert.Contains(journal, j => j.Kind == JournalKind.DueDateChanged && j.UserId == "sam" && j.Detail == "customer abroad until tonight");

        // The old due date passes quietly; the new one fires the SLA.
        clock.Advance(TimeSpan.FromHours(5));
        await host.FireDueTimersAsync(clock);
        Assert.DoesNotContain("Late", await host.ActiveAsync(id));
        clock.Advance(TimeSpan.FromHours(3));
        await host.FireDueTimersAsync(clock);
        Assert.Contains("Late", await host.ActiveAsync(id));
        Assert.Contains("Respond", await host.ActiveAsync(id));
    }

    [Fact]
    public async Task ChangeDueDate_ArmsTheSlaAgain_WhenItHadAlreadyFired()
    {
        var id = await host.StartAsync("task-sla");
        var task = await host.OpenTaskAsync(id, "Respond");
        clock.Advance(TimeSpan.FromHours(4));
        await host.FireDueTimersAsync(clock);
        Assert.Equal(TimerStatus.Fired, Assert.Single(await TimersAsync(id, "Sla")).Status);

        Assert.True((await host.Runtime.ChangeDueDateAsync(task.Id, WorkflowTestHost.Sam, Now.AddHours(2), "waiting for the warehouse")).IsOk);

        var sla = Assert.Single(await TimersAsync(id, "Sla"));
        Assert.Equal(TimerStatus.Scheduled, sla.Status);
        Assert.Equal(Now.AddHours(2), sla.DueAt);
        clock.Advance(TimeSpan.FromHours(2));
        await host.FireDueTimersAsync(clock);
        var late = await host.QueryAsync(db => db.Set<WorkItem>().CountAsync(w => w.InstanceId == id && w.ElementId == "Late"));
        Assert.Equal(2, late);
    }

    [Fact]
    public async Task ChangeDueDate_IsRefused_WhenInThePastWithoutReasonOrNotAManager()
    {
        var id = await host.StartAsync("task-sla");
        var task = await host.OpenTaskAsync(id, "Respond");

        var past = await host.Runtime.ChangeDueDateAsync(task.Id, WorkflowTestHost.Sam, Now.AddMinutes(-1), "too late");
        var noReason = await host.Runtime.ChangeDueDateAsync(task.Id, WorkflowTestHost.Sam, Now.AddHours(1), " ");
        var handler = await host.Runtime.ChangeDueDateAsync(task.Id, WorkflowTestHost.Alice, Now.AddHours(9), "I want more time");

        Assert.Equal(WorkflowOutcome.Invalid, past.Outcome);
        Assert.Equal("The new due date must be in the future.", past.Message);
        Assert.Equal(WorkflowOutcome.Invalid, noReason.Outcome);
        Assert.Equal(WorkflowOutcome.Forbidden, handler.Outcome);
        Assert.Equal(Now.AddHours(4), (await host.Runtime.GetTaskAsync(task.Id))!.DueAt);
        Assert.Equal(Now.AddHours(4), Assert.Single(await TimersAsync(id, "Sla")).DueAt);
    }

    [Fact]
    public async Task Unclaim_ByManager_ReturnsSomeoneElsesTaskToThePool()
    {
        var id = await host.StartAsync("task-sla");
        var task = await host.OpenTaskAsync(id, "Respond");
        await host.Runtime.ClaimAsync(task.Id, WorkflowTestHost.Alice);

        Assert.Equal(WorkflowOutcome.Forbidden, (await host.Runtime.UnclaimAsync(task.Id, WorkflowTestHost.Bob)).Outcome);
        Assert.True((await host.Runtime.UnclaimAsync(task.Id, WorkflowTestHost.Sam)).IsOk);
        Assert.Null((await host.Runtime.GetTaskAsync(task.Id))!.Assignee);
    }
}
