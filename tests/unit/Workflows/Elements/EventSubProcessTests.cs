using Xunit;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>Event sub-processes at the process level: timer and message starts, interrupting and not, recover/resume.</summary>
public sealed class EventSubProcessTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public EventSubProcessTests() => host = new WorkflowTestHost(clock: clock) { KeepFolder = true };
    public Task InitializeAsync() => host.PublishAsync("esp-timer.bpmn", "esp-message.bpmn");

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(host.Folder, recursive: true);
    }

    private Task<List<WorkflowTimer>> TimersAsync(Guid id) =>
        host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id).OrderBy(t => t.DueAt).ToListAsync());

    private async Task<List<WorkItemView>> OpenTasksAsync(Guid id) =>
        (await host.Runtime.GetTasksOfInstanceAsync(id)).Where(t => t.Status == WorkItemStatus.Open).ToList();

    [Fact]
    public async Task InterruptingTimer_CancelsTheRest_AfterTheNonInterruptingCycleRanTwice()
    {
        var id = await host.StartAsync("esp-timer", new { sla = "PT2H30M" });
        var armed = await TimersAsync(id);
        Assert.Equal(2, armed.Count); // the hourly cycle and the ${sla} timer, evaluated at start

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await host.FireDueTimersAsync(clock);
        }

        var tasks = await host.Runtime.GetTasksOfInstanceAsync(id);
        Assert.Equal(2, tasks.Count(t => t.ElementId == "Remind"));             // R2: two reminders, each beside Work
        Assert.Equal(WorkItemStatus.Cancelled, tasks.Single(t => t.ElementId == "Work").Status);
        Assert.All(tasks.Where(t => t.ElementId == "Remind"), t => Assert.Equal(WorkItemStatus.Cancelled, t.Status));
        var escalated = Assert.Single(await OpenTasksAsync(id));
        Assert.Equal("Escalated", escalated.ElementId);
        Assert.DoesNotContain(await TimersAsync(id), t => t.Status == TimerStatus.Scheduled);

        Assert.True((await host.Runtime.CompleteTaskAsync(new CompleteTask(escalated.Id, WorkflowTestHost.Sam, null, Guid.NewGuid().ToString()))).IsOk);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public async Task WorkDoneInTime_CompletesTheInstance_AndWithdrawsTheTimers()
    {
        var id = await host.StartAsync("esp-timer", new { sla = "PT2H" });
        Assert.True((await host.CompleteAsync(id, "Work")).IsOk);

        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
        Assert.All(await TimersAsync(id), t => Assert.Equal(TimerStatus.Cancelled, t.Status));
        clock.Advance(TimeSpan.FromHours(3));
        await host.FireDueTimersAsync(clock);
        Assert.Empty(await OpenTasksAsync(id));
    }

    [Fact]
    public async Task BadTimerExpression_IsAnIncident_OnTheStartEvent()
    {
        var id = await host.StartAsync("esp-timer", new { sla = "soon" });
        var instance = (await host.Runtime.GetInstanceAsync(id))!;
        Assert.Equal("TooLate_start", Assert.Single(instance.OpenIncidents).ElementId);
        Assert.Equal(["Work"], instance.ActiveElementIds);
    }

    [Fact]
    public async Task NonInterruptingMessage_RunsBeside_AndTheInstanceWaitsForIt()
    {
        var id = await host.StartAsync("esp-message", businessKey: "case-m1");
        Assert.Equal(1, (await host.Runtime.CorrelateMessageAsync("customer-called", "case-m1", new Dictionary<string, object?> { ["caller"] = "Wang Fang" })).Value);
        Assert.Equal(1, (await host.Runtime.CorrelateMessageAsync("customer-called", "case-m1")).Value);

        var open = await OpenTasksAsync(id);
        Assert.Equal(["NoteCall", "NoteCall", "Work"], open.Select(t => t.ElementId).Order());
        Assert.Equal("Wang Fang", (await host.Runtime.GetInstanceAsync(id))!.Variables["caller"]?.ToString());

        Assert.True((await host.CompleteAsync(id, "Work")).IsOk);
        Assert.Equal(InstanceStatus.Running, (await host.Runtime.GetInstanceAsync(id))!.Status);
        foreach (var note in (await OpenTasksAsync(id)).Where(t => t.ElementId == "NoteCall"))
            Assert.True((await host.Runtime.CompleteTaskAsync(new CompleteTask(note.Id, WorkflowTestHost.Alice, null, Guid.NewGuid().ToString()))).IsOk);

        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
        Assert.Empty(await host.QueryAsync(db => db.Set<MessageSubscription>().Where(s => s.InstanceId == id).ToListAsync()));
        Assert.Equal(0, (await host.Runtime.CorrelateMessageAsync("customer-withdrew", "case-m1")).Value);
    }

    [Fact]
    public async Task InterruptingMessage_CancelsWorkAndRunningNotes_AfterARestart()
    {
        var id = await host.StartAsync("esp-message", businessKey: "case-m2");
        await host.Runtime.CorrelateMessageAsync("customer-called", "case-m2");

        // A second engine over the same file (a restarted process) takes the message.
        await using (var restarted = new WorkflowTestHost(host.Folder, clock) { KeepFolder = true })
            Assert.Equal(1, (await restarted.Runtime.CorrelateMessageAsync("customer-withdrew", "case-m2")).Value);

        var tasks = await host.Runtime.GetTasksOfInstanceAsync(id);
        Assert.Equal(WorkItemStatus.Cancelled, tasks.Single(t => t.ElementId == "Work").Status);
        Assert.Equal(WorkItemStatus.Cancelled, tasks.Single(t => t.ElementId == "NoteCall").Status);
        Assert.Equal("ConfirmWithdrawal", Assert.Single(await OpenTasksAsync(id)).ElementId);
        Assert.Empty(await host.QueryAsync(db => db.Set<MessageSubscription>().Where(s => s.InstanceId == id).ToListAsync()));
        Assert.True((await host.CompleteAsync(id, "ConfirmWithdrawal")).IsOk);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public async Task InterruptingTimer_AndWorkCompletedAtTheSameMoment_ExactlyOneWins()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = await host.StartAsync("esp-timer", new { sla = "PT1M" }, businessKey: $"race-{round}");
            clock.Advance(TimeSpan.FromMinutes(1));
            var work = await host.OpenTaskAsync(id, "Work");
            var late = (await TimersAsync(id)).Single(t => t.ElementId == "TooLate_start");
            await Task.WhenAll(
                Task.Run(() => host.Runtime.CompleteTaskAsync(new CompleteTask(work.Id, WorkflowTestHost.Alice, null, Guid.NewGuid().ToString()))),
                Task.Run(() => host.Runtime.FireTimerAsync(late.Id)));
            await host.FireDueTimersAsync(clock); // a timer whose command lost the race fires again, or finds itself withdrawn

            var tasks = await host.Runtime.GetTasksOfInstanceAsync(id);
            var instance = (await host.Runtime.GetInstanceAsync(id))!;
            var workDone = tasks.Single(t => t.ElementId == "Work").Status == WorkItemStatus.Completed;
            if (workDone)
            {
                Assert.Equal(InstanceStatus.Completed, instance.Status);
                Assert.DoesNotContain(tasks, t => t.ElementId == "Escalated");
            }
            else
            {
                Assert.Equal(WorkItemStatus.Cancelled, tasks.Single(t => t.ElementId == "Work").Status);
                Assert.Equal(["TooLate", "Escalated"], instance.ActiveElementIds); // the event sub-process (a scope) and the task in it
            }
        }
    }

    [Fact]
    public async Task Publish_RefusesMisplacedOrMalformedEventSubProcesses()
    {
        var inSubProcess = WorkflowTestHost.Fixture("subprocess.bpmn");
        var end = inSubProcess.IndexOf("</bpmn:subProcess>", StringComparison.Ordinal);
        inSubProcess = inSubProcess[..end] + """
            <bpmn:subProcess id="Nested" triggeredByEvent="true">
              <bpmn:startEvent id="Nested_start"><bpmn:messageEventDefinition messageRef="M" /></bpmn:startEvent>
            </bpmn:subProcess>
            """ + inSubProcess[end..];
        Assert.Contains(await host.Definitions.ValidateAsync(inSubProcess), p => p.ElementId == "Nested" && p.Message.Contains("process level only"));

        var noneStart = WorkflowTestHost.Fixture("esp-message.bpmn")
            .Replace("""<bpmn:messageEventDefinition id="MessageEventDefinition_called" messageRef="Message_called" />""", "");
        Assert.Contains(await host.Definitions.ValidateAsync(noneStart), p => p.ElementId == "Called" && p.Message.Contains("timer or a message"));

        var withFlow = WorkflowTestHost.Fixture("esp-message.bpmn")
            .Replace("""<bpmn:endEvent id="End" />""", """<bpmn:endEvent id="End" /><bpmn:sequenceFlow id="Flow_in" sourceRef="Start" targetRef="Called" />""");
        Assert.Contains(await host.Definitions.ValidateAsync(withFlow), p => p.ElementId == "Called" && p.Message.Contains("no sequence flows"));

        Assert.DoesNotContain(await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("esp-timer.bpmn")), p => p.IsError);
    }
}
