using Xunit;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>Embedded sub-processes (issue 12, item 1): a scope of their own, timers on them, terminate inside, multi-instance scopes.</summary>
public sealed class SubProcessTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public SubProcessTests() => host = new WorkflowTestHost(clock: clock);

    public Task InitializeAsync() => host.PublishAsync("subprocess.bpmn", "subprocess-terminate.bpmn", "subprocess-per-item.bpmn", "subprocess-approval.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<List<WorkItemView>> OpenAsync(Guid id) =>
        (await host.Runtime.GetTasksOfInstanceAsync(id)).Where(t => t.Status == WorkItemStatus.Open).ToList();

    private Task<WorkflowResult> CompleteAsync(WorkItemView task) =>
        host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, new WorkflowUser(task.Assignee ?? "alice", ["Handler"]), null, Guid.NewGuid().ToString()));

    [Fact]
    public async Task SubProcess_RunsItsInnerFlow_AndLeavesWhenNothingIsLeftInside()
    {
        // Given an instance, Then the sub-process waits with both inner tasks open.
        var id = await host.StartAsync("subprocess");
        Assert.Equal(["Activity_gather", "Activity_interview", "Activity_investigate"], (await host.ActiveAsync(id)).Order());

        // When one inner task is done, Then the inner join waits; when the other is done, Then the sub-process completes and Decide is next.
        await host.CompleteAsync(id, "Activity_gather");
        Assert.Contains("Activity_investigate", await host.ActiveAsync(id));
        await host.CompleteAsync(id, "Activity_interview");

        Assert.Equal(["Activity_decide"], await host.ActiveAsync(id));
        Assert.Empty(await host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id && t.Status == TimerStatus.Scheduled).ToListAsync()));
        var journal = await host.Runtime.GetJournalAsync(id);
        Assert.Single(journal, j => j.ElementId == "Activity_investigate" && j.Kind == JournalKind.Completed);
    }

    [Fact]
    public async Task InterruptingTimerOnTheSubProcess_CancelsEverythingInside()
    {
        var id = await host.StartAsync("subprocess");
        await host.CompleteAsync(id, "Activity_gather");

        clock.Advance(TimeSpan.FromDays(2));
        await host.FireDueTimersAsync(clock);

        // The 1-day reminder fired first (non-interrupting), then the 2-day timer interrupted the sub-process.
        Assert.Equal(["Activity_escalate", "Activity_remind"], (await host.ActiveAsync(id)).Order());
        var interview = (await host.Runtime.GetTasksOfInstanceAsync(id)).Single(t => t.ElementId == "Activity_interview");
        Assert.Equal(WorkItemStatus.Cancelled, interview.Status);
    }

    [Fact]
    public async Task NonInterruptingTimerOnTheSubProcess_AddsAPath_AndTheSubProcessGoesOn()
    {
        var id = await host.StartAsync("subprocess");

        clock.Advance(TimeSpan.FromDays(1));
        await host.FireDueTimersAsync(clock);

        Assert.Contains("Activity_remind", await host.ActiveAsync(id));
        await host.CompleteAsync(id, "Activity_gather");
        await host.CompleteAsync(id, "Activity_interview");
        Assert.Equal(["Activity_decide", "Activity_remind"], (await host.ActiveAsync(id)).Order());
    }

    [Fact]
    public async Task TerminateInsideTheSubProcess_EndsOnlyThatScope()
    {
        var id = await host.StartAsync("subprocess-terminate");

        await host.CompleteAsync(id, "Activity_check");

        Assert.Equal(["Activity_decide", "Activity_monitor"], (await host.ActiveAsync(id)).Order());
        var notes = (await host.Runtime.GetTasksOfInstanceAsync(id)).Single(t => t.ElementId == "Activity_notes");
        Assert.Equal(WorkItemStatus.Cancelled, notes.Status);
        Assert.Equal(InstanceStatus.Running, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public async Task MultiInstanceSubProcess_GivesEachItemItsOwnScope_AndJoinsDoNotMix()
    {
        // Given two items, Then each has Inspect and Photograph, assigned by ${item}.
        var id = await host.StartAsync("subprocess-per-item", new { items = new[] { "phone", "laptop" } });
        var open = await OpenAsync(id);
        Assert.Equal(["laptop-inspector", "laptop-photographer", "phone-inspector", "phone-photographer"], open.Select(t => t.Assignee!).Order());

        // When the phone's Inspect and the laptop's Photograph are done, Then neither scope's join fires (they are different items).
        await CompleteAsync(open.Single(t => t.Assignee == "phone-inspector"));
        await CompleteAsync(open.Single(t => t.Assignee == "laptop-photographer"));
        Assert.Equal(2, (await OpenAsync(id)).Count);
        Assert.DoesNotContain("Activity_refund", await host.ActiveAsync(id));

        // When each item's other task is done, Then both scopes complete and Refund is next.
        await CompleteAsync(open.Single(t => t.Assignee == "phone-photographer"));
        Assert.DoesNotContain("Activity_refund", await host.ActiveAsync(id));
        await CompleteAsync(open.Single(t => t.Assignee == "laptop-inspector"));
        Assert.Equal(["Activity_refund"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task SubProcessHoldingAMultiInstanceApproval_CompletesAfterTheLastApprover()
    {
        var approvers = new[] { "a1", "a2", "a3", "a4", "a5" };
        var id = await host.StartAsync("subprocess-approval", new { approvers });
        var open = await OpenAsync(id);
        Assert.Equal(approvers, open.Select(t => t.Assignee!).Order());

        foreach (var task in open) Assert.True((await CompleteAsync(task)).IsOk);

        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public async Task Cancel_CancelsTheTasksInsideTheSubProcess()
    {
        var id = await host.StartAsync("subprocess");
        await host.Runtime.CancelAsync(id, "Withdrawn");
        Assert.All(await host.Runtime.GetTasksOfInstanceAsync(id), t => Assert.Equal(WorkItemStatus.Cancelled, t.Status));
    }

    [Fact]
    public async Task Publish_RefusesSubProcessesTheEngineCannotRun_NamingElementAndWhatToUseInstead()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("subprocess-invalid.bpmn"));
        var lines = string.Join('\n', problems);

        Assert.True(problems.Any(p => p.ElementId == "Activity_nostart" && p.Message.Contains("needs exactly one none start event")), lines);
        Assert.True(problems.Any(p => p.ElementId == "Flow_out" && p.Message.Contains("crosses the border of a sub-process")), lines);
        Assert.True(problems.Any(p => p.ElementId == "Activity_tx" && p.Message.Contains("Transactions") && p.Message.Contains("use an embedded sub-process")), lines);
        Assert.True(problems.Any(p => p.ElementId == "Activity_on_message" && p.Message.Contains("process level only") && p.Message.Contains("boundary event")), lines);
        Assert.All(problems, p => Assert.True(p.IsError));
    }
}
