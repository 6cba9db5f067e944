using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>Given instances waiting in every kind of wait state, When the process restarts (a new service provider over the same SQLite file), Then each continues.</summary>
public sealed class RecoverResumeTests
{
    [Fact]
    public async Task SecondEngine_ContinuesEveryKindOfWaitingInstance()
    {
        var clock = new TestClock();
        Guid userTask, timer, interrupting, nonInterrupting, message, service, parent, parallel, inclusive;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("sequence.bpmn", "timer.bpmn", "boundary-interrupting.bpmn", "boundary-noninterrupting.bpmn", "message.bpmn",
                "service.bpmn", "call-child.bpmn", "call-parent.bpmn", "parallel.bpmn", "inclusive.bpmn");
            userTask = await first.StartAsync("sequence");
            timer = await first.StartAsync("timer");
            interrupting = await first.StartAsync("boundary-interrupting");
            nonInterrupting = await first.StartAsync("boundary-noninterrupting");
            message = await first.StartAsync("message", businessKey: "case-m");
            service = await first.StartAsync("service");
            parent = await first.StartAsync("call-parent");
            parallel = await first.StartAsync("parallel");
            await first.CompleteAsync(parallel, "Refund");
            inclusive = await first.StartAsync("inclusive", new { refund = true, voucher = true });
            await first.CompleteAsync(inclusive, "Refund");
        }

        await using var second = new WorkflowTestHost(folder, clock);
        await second.CompleteAsync(userTask, "Review");
        Assert.Equal(["Close"], await second.ActiveAsync(userTask));

        clock.Advance(TimeSpan.FromHours(4));
        await second.FireDueTimersAsync(clock);
        Assert.Equal(["Callback"], await second.ActiveAsync(timer));
        Assert.Equal(["Escalate"], await second.ActiveAsync(interrupting));
        Assert.Equal(new[] { "Remind", "Respond" }, (await second.ActiveAsync(nonInterrupting)).Order().ToArray());

        await second.Runtime.CorrelateMessageAsync("payment-received", "case-m");
        Assert.Equal(["Confirm"], await second.ActiveAsync(message));

        var entry = await second.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == service));
        await second.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        Assert.Equal(["Review"], await second.ActiveAsync(service));

        var child = await second.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(i => i.ParentInstanceId == parent));
        await second.CompleteAsync(child.Id, "Approve", variables: new { approved = true });
        Assert.Equal(["Pay"], await second.ActiveAsync(parent));

        await second.CompleteAsync(parallel, "Apologise");
        Assert.Equal(["FollowUp"], await second.ActiveAsync(parallel));

        await second.CompleteAsync(inclusive, "Voucher");
        Assert.Equal(["Close"], await second.ActiveAsync(inclusive));
    }

    [Fact]
    public async Task SecondEngine_ContinuesMultiInstanceActivities()
    {
        // Given a parallel approval with one of three done, a sequential review at its second turn, a multi-instance service
        // task and a sequential call activity, each waiting when the first engine stops
        var clock = new TestClock();
        Guid parallel, sequential, service, calls;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("mi-parallel.bpmn", "mi-sequential.bpmn", "mi-service.bpmn", "call-child.bpmn", "mi-call.bpmn");
            parallel = await first.StartAsync("mi-parallel", new { approvers = new[] { "kermit", "gonzo", "piggy" } });
            var kermit = (await first.Runtime.GetTasksOfInstanceAsync(parallel)).Single(t => t.Assignee == "kermit");
            await first.Runtime.CompleteTaskAsync(new CompleteTask(kermit.Id, new WorkflowUser("kermit", []), null, "k"));
            sequential = await first.StartAsync("mi-sequential", new { reviews = 3, rejected = false });
            await first.CompleteAsync(sequential, "Activity_review");
            service = await first.StartAsync("mi-service", new { recipients = new[] { "a@example.com", "b@example.com" } });
            calls = await first.StartAsync("mi-call", new { regions = new[] { "north", "south" } });
        }

        // When a second engine over the same file takes over, Then each goes on from where it was.
        await using var second = new WorkflowTestHost(folder, clock);
        foreach (var task in (await second.Runtime.GetTasksOfInstanceAsync(parallel)).Where(t => t.Status == WorkItemStatus.Open))
            Assert.True((await second.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, new WorkflowUser(task.Assignee!, []), null, task.Id.ToString()))).IsOk);
        Assert.Equal(["Activity_pay"], await second.ActiveAsync(parallel));

        await second.CompleteAsync(sequential, "Activity_review");
        await second.CompleteAsync(sequential, "Activity_review");
        Assert.Equal(["Activity_close"], await second.ActiveAsync(sequential));

        foreach (var entry in await second.QueryAsync(db => db.Set<OutboxEntry>().Where(o => o.InstanceId == service).ToListAsync()))
            await second.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        Assert.Equal(["Activity_review"], await second.ActiveAsync(service));

        for (var i = 0; i < 2; i++)
        {
            var child = await second.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(c => c.ParentInstanceId == calls && c.Status == InstanceStatus.Running));
            await second.CompleteAsync(child.Id, "Approve", variables: new { approved = true });
        }
        Assert.Equal(["Activity_pay"], await second.ActiveAsync(calls));
    }

    [Fact]
    public async Task SecondEngine_ContinuesSubProcesses_TheirTimersAndMultiInstanceScopes()
    {
        // Given a sub-process with one inner task done and its timers armed, and a multi-instance sub-process with one item's
        // scope half done, each waiting when the first engine stops
        var clock = new TestClock();
        Guid investigation, perItem;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("subprocess.bpmn", "subprocess-per-item.bpmn");
            investigation = await first.StartAsync("subprocess");
            await first.CompleteAsync(investigation, "Activity_gather");
            perItem = await first.StartAsync("subprocess-per-item", new { items = new[] { "phone", "laptop" } });
            var phoneInspect = (await first.Runtime.GetTasksOfInstanceAsync(perItem)).Single(t => t.Assignee == "phone-inspector");
            await first.Runtime.CompleteTaskAsync(new CompleteTask(phoneInspect.Id, new WorkflowUser("phone-inspector", []), null, "p"));
        }

        // When a second engine takes over, Then the sub-process's timer fires there and its inner join completes it,
        // and the multi-instance scopes finish one by one.
        await using var second = new WorkflowTestHost(folder, clock);
        clock.Advance(TimeSpan.FromDays(1));
        await second.FireDueTimersAsync(clock);
        Assert.Contains("Activity_remind", await second.ActiveAsync(investigation));
        await second.CompleteAsync(investigation, "Activity_interview");
        Assert.Equal(["Activity_decide", "Activity_remind"], (await second.ActiveAsync(investigation)).Order());

        foreach (var task in (await second.Runtime.GetTasksOfInstanceAsync(perItem)).Where(t => t.Status == WorkItemStatus.Open))
            Assert.True((await second.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, new WorkflowUser(task.Assignee!, []), null, task.Id.ToString()))).IsOk);
        Assert.Equal(["Activity_refund"], await second.ActiveAsync(perItem));
    }

    [Fact]
    public async Task SecondEngine_CatchesBusinessErrorsOfInstancesStartedByTheFirst()
    {
        // Given a service task waiting for its handler and a sub-process whose assessment is open, when the first engine stops
        var clock = new TestClock();
        Guid service, scope;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("error-service.bpmn", "error-subprocess.bpmn");
            service = await first.StartAsync("error-service", new { raise = "INELIGIBLE" });
            scope = await first.StartAsync("error-subprocess");
        }

        // When the second engine runs the handler (which raises INELIGIBLE) and the assessment ends in an error, Then both are caught.
        await using var second = new WorkflowTestHost(folder, clock);
        var entry = await second.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == service));
        await second.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        Assert.Equal(["Activity_explain"], await second.ActiveAsync(service));

        await second.CompleteAsync(scope, "Activity_assess", variables: new { eligible = false });
        Assert.Equal(["Activity_reject"], await second.ActiveAsync(scope));
    }

    [Fact]
    public async Task SecondEngine_ContinuesInstancesWaitingAtAnEventBasedGateway()
    {
        var clock = new TestClock();
        Guid byMessage, byTimer;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("event-gateway.bpmn");
            byMessage = await first.StartAsync("event-gateway", businessKey: "case-a");
            byTimer = await first.StartAsync("event-gateway", businessKey: "case-b");
        }

        await using var second = new WorkflowTestHost(folder, clock);
        await second.Runtime.CorrelateMessageAsync("documents-received", "case-a");
        clock.Advance(TimeSpan.FromHours(72));
        await second.FireDueTimersAsync(clock);

        Assert.Equal(["Activity_review"], await second.ActiveAsync(byMessage));
        Assert.Equal(["Activity_chase"], await second.ActiveAsync(byTimer));
    }

    [Fact]
    public async Task SecondEngine_ContinuesSendReceiveAndMessageThrowWaits()
    {
        // Given one instance waiting at the send task's handler, one at the receive task, one at the message throw event's handler
        var clock = new TestClock();
        Guid sending, receiving, throwing;
        string folder;
        async Task RunHandlerAsync(WorkflowTestHost host, Guid id)
        {
            var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id && o.Status == OutboxStatus.Pending));
            await host.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        }
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("tasks-and-events.bpmn");
            sending = await first.StartAsync("tasks-and-events", new { amount = 1 }, businessKey: "case-s");
            receiving = await first.StartAsync("tasks-and-events", new { amount = 2 }, businessKey: "case-r");
            await RunHandlerAsync(first, receiving);
            throwing = await first.StartAsync("tasks-and-events", new { amount = 3 }, businessKey: "case-t");
            await RunHandlerAsync(first, throwing);
            await first.Runtime.CorrelateMessageAsync("customer-reply", "case-t");
        }

        // When a second engine takes over, Then each goes on.
        await using var second = new WorkflowTestHost(folder, clock);
        await RunHandlerAsync(second, sending);
        Assert.Equal(["Activity_await"], await second.ActiveAsync(sending));
        await second.Runtime.CorrelateMessageAsync("customer-reply", "case-r");
        Assert.Equal(["Event_confirmation"], await second.ActiveAsync(receiving));
        await RunHandlerAsync(second, throwing);
        Assert.Equal(["Activity_close"], await second.ActiveAsync(throwing));
    }

    [Fact]
    public async Task SecondEngine_KeepsATaskInputParameters_AndMapsItsOutputs()
    {
        var clock = new TestClock();
        Guid id;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("call-child.bpmn", "io-mappings.bpmn");
            id = await first.StartAsync("io-mappings", new { customerEmail = "c@example.com", caseNo = "C-1", amount = 10 });
            var entry = await first.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id));
            await first.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        }

        await using var second = new WorkflowTestHost(folder, clock);
        await second.CompleteAsync(id, "Activity_approve", variables: new { approved = false });

        var variables = (await second.Runtime.GetInstanceAsync(id))!.Variables;
        Assert.Equal("no", ((System.Text.Json.Nodes.JsonNode)variables["decision"]!).GetValue<string>());
        Assert.DoesNotContain("limit", variables.Keys);
        Assert.Equal(["Activity_call"], await second.ActiveAsync(id));
    }
}
