using System.Text.Json.Nodes;
using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>Multi-instance markers (issue 12, item 1): parallel and sequential, collection and cardinality, completion conditions, counters.</summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private static readonly string[] Approvers = ["kermit", "gonzo", "piggy"];
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public MultiInstanceTests() => host = new WorkflowTestHost(clock: clock);

    public Task InitializeAsync() => host.PublishAsync("mi-parallel.bpmn", "mi-sequential.bpmn", "mi-quorum.bpmn", "mi-service.bpmn", "call-child.bpmn", "mi-call.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private static WorkflowUser User(string id) => new(id, ["Handler"]);

    private async Task<List<WorkItemView>> OpenAsync(Guid id, string elementId) =>
        (await host.Runtime.GetTasksOfInstanceAsync(id)).Where(t => t.ElementId == elementId && t.Status == WorkItemStatus.Open).ToList();

    private Task<WorkflowResult> CompleteAsync(WorkItemView task, object? variables = null) =>
        host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, User(task.Assignee ?? "alice"), WorkflowTestHost.Vars(variables), Guid.NewGuid().ToString()));

    /// <summary>The counters the body of <paramref name="elementId"/> holds in the instance's stored state.</summary>
    internal static async Task<(int Instances, int Active, int Completed)> CountersAsync(WorkflowTestHost host, Guid id, string elementId)
    {
        var json = await host.QueryAsync(db => db.Set<WorkflowInstance>().Where(i => i.Id == id).Select(i => i.StateJson).SingleAsync());
        var body = JsonNode.Parse(json)!["Tokens"]!.AsArray().Single(t => t!["ElementId"]!.GetValue<string>() == elementId && t["Loop"] is not null)!;
        var locals = body["Locals"]!;
        return (locals["nrOfInstances"]!.GetValue<int>(), locals["nrOfActiveInstances"]!.GetValue<int>(), locals["nrOfCompletedInstances"]!.GetValue<int>());
    }

    [Fact]
    public async Task Parallel_CreatesOneTaskPerItem_AndMovesOnOnlyAfterTheLast()
    {
        // Given three approvers, When the instance starts, Then each has their own task, assigned by ${approver}.
        var id = await host.StartAsync("mi-parallel", new { approvers = Approvers });
        var tasks = await OpenAsync(id, "Activity_approve");
        Assert.Equal(Approvers.Order(), tasks.Select(t => t.Assignee!).Order());
        Assert.All(tasks, t => Assert.Equal("Approve refund", t.Name));
        Assert.Equal((3, 3, 0), await CountersAsync(host, id, "Activity_approve"));

        // When two complete, Then the instance still waits, and the counters say so.
        Assert.True((await CompleteAsync(tasks[0], new { note = "ok" })).IsOk);
        Assert.True((await CompleteAsync(tasks[1])).IsOk);
        Assert.Equal(["Activity_approve"], await host.ActiveAsync(id));
        Assert.Equal((3, 1, 2), await CountersAsync(host, id, "Activity_approve"));

        // When the last completes, Then Pay is next; the counters and element variable were the activity's, not the process's.
        Assert.True((await CompleteAsync(tasks[2])).IsOk);
        Assert.Equal(["Activity_pay"], await host.ActiveAsync(id));
        var variables = (await host.Runtime.GetInstanceAsync(id))!.Variables;
        Assert.Equal("ok", ((JsonNode)variables["note"]!).GetValue<string>());
        Assert.DoesNotContain("approver", variables.Keys);
        Assert.DoesNotContain("nrOfInstances", variables.Keys);
        Assert.DoesNotContain("loopCounter", variables.Keys);
        var journal = await host.Runtime.GetJournalAsync(id);
        Assert.Equal(3, journal.Count(j => j.ElementId == "Activity_approve" && j.Kind == JournalKind.Completed && j.Detail?.StartsWith("Instance ") == true));
    }

    [Fact]
    public async Task Parallel_BoundaryTimerOnTheActivity_CancelsEveryOpenInstance()
    {
        // Given three approvals of which one is done, When the 4-hour timer fires, Then the two open ones are cancelled and Escalate is next.
        var id = await host.StartAsync("mi-parallel", new { approvers = Approvers });
        var tasks = await OpenAsync(id, "Activity_approve");
        await CompleteAsync(tasks[0]);
        Assert.Single(await host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id && t.Status == TimerStatus.Scheduled).ToListAsync()));

        clock.Advance(TimeSpan.FromHours(4));
        await host.FireDueTimersAsync(clock);

        Assert.Equal(["Activity_escalate"], await host.ActiveAsync(id));
        var approvals = (await host.Runtime.GetTasksOfInstanceAsync(id)).Where(t => t.ElementId == "Activity_approve").ToList();
        Assert.Equal(1, approvals.Count(t => t.Status == WorkItemStatus.Completed));
        Assert.Equal(2, approvals.Count(t => t.Status == WorkItemStatus.Cancelled));
    }

    [Fact]
    public async Task Parallel_CompletingBeforeTheTimer_CancelsTheTimer()
    {
        var id = await host.StartAsync("mi-parallel", new { approvers = new[] { "kermit" } });
        await CompleteAsync(Assert.Single(await OpenAsync(id, "Activity_approve")));

        Assert.Empty(await host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id && t.Status == TimerStatus.Scheduled).ToListAsync()));
        Assert.Equal(["Activity_pay"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Parallel_PassesStraightThrough_WhenTheCollectionIsEmpty()
    {
        var id = await host.StartAsync("mi-parallel", new { approvers = Array.Empty<string>() });

        Assert.Equal(["Activity_pay"], await host.ActiveAsync(id));
        Assert.Empty(await OpenAsync(id, "Activity_approve"));
    }

    [Fact]
    public async Task Parallel_RaisesIncidentNamingTheElement_WhenTheCollectionIsNotAList()
    {
        var id = await host.StartAsync("mi-parallel", new { approvers = "kermit" });

        var incident = Assert.Single((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        Assert.Equal("Activity_approve", incident.ElementId);
        Assert.Contains("not a list", incident.Message);
        Assert.Empty(await OpenAsync(id, "Activity_approve"));
    }

    [Fact]
    public async Task Sequential_RunsOneInstanceAtATime_WithItsLoopCounter()
    {
        // Given reviews = 3, When started, Then one Review exists (loopCounter 0: due in 4 hours).
        var id = await host.StartAsync("mi-sequential", new { reviews = 3, rejected = false });
        var first = Assert.Single(await OpenAsync(id, "Activity_review"));
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(4), first.DueAt);
        Assert.Equal((3, 1, 0), await CountersAsync(host, id, "Activity_review"));

        // When it is completed, Then the second (loopCounter 1: due in a day) is created, and so on.
        await CompleteAsync(first);
        var second = Assert.Single(await OpenAsync(id, "Activity_review"));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(1), second.DueAt);
        Assert.Equal((3, 1, 1), await CountersAsync(host, id, "Activity_review"));
        await CompleteAsync(second);
        await CompleteAsync(Assert.Single(await OpenAsync(id, "Activity_review")));

        Assert.Equal(["Activity_close"], await host.ActiveAsync(id));
        Assert.Equal(3, (await host.Runtime.GetTasksOfInstanceAsync(id)).Count(t => t.ElementId == "Activity_review" && t.Status == WorkItemStatus.Completed));
    }

    [Fact]
    public async Task Sequential_CompletionCondition_EndsTheLoopEarly()
    {
        // Given three reviews in turn, When the first is completed with rejected = true, Then no second review is created and Close is next.
        var id = await host.StartAsync("mi-sequential", new { reviews = 3, rejected = false });

        await CompleteAsync(Assert.Single(await OpenAsync(id, "Activity_review")), new { rejected = true });

        Assert.Equal(["Activity_close"], await host.ActiveAsync(id));
        Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id), t => t.ElementId == "Activity_review");
    }

    [Fact]
    public async Task Sequential_RaisesIncident_WhenTheCardinalityIsNotAWholeNumber()
    {
        var id = await host.StartAsync("mi-sequential", new { reviews = "many", rejected = false });

        var incident = Assert.Single((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        Assert.Contains("loop cardinality", incident.Message);
    }

    [Fact]
    public async Task Parallel_CompletionCondition_CancelsTheRemainingInstances()
    {
        // Given three approvers and "60 % are enough", When two have approved, Then the third task is cancelled and Pay is next.
        var id = await host.StartAsync("mi-quorum", new { approvers = Approvers });
        var tasks = await OpenAsync(id, "Activity_approve");
        await CompleteAsync(tasks[0]);
        Assert.Equal(["Activity_approve"], await host.ActiveAsync(id));

        await CompleteAsync(tasks[1]);

        Assert.Equal(["Activity_pay"], await host.ActiveAsync(id));
        Assert.Equal(WorkItemStatus.Cancelled, (await host.Runtime.GetTaskAsync(tasks[2].Id))!.Status);
        var late = await CompleteAsync(tasks[2]);
        Assert.Equal(WorkflowOutcome.Conflict, late.Outcome);
    }

    [Fact]
    public async Task ServiceTask_WritesOneOutboxEntryPerItem_AndMovesOnWhenAllHandlersRan()
    {
        var id = await host.StartAsync("mi-service", new { recipients = new[] { "a@example.com", "b@example.com" } });
        var entries = await host.QueryAsync(db => db.Set<OutboxEntry>().Where(o => o.InstanceId == id).ToListAsync());

        Assert.Equal(2, entries.Count);
        Assert.Equal(2, entries.Select(e => e.IdempotencyKey).Distinct().Count());
        Assert.Equal(["a@example.com", "b@example.com"], entries.Select(e => JsonNode.Parse(e.PayloadJson)!["recipient"]!.GetValue<string>()).Order());

        var outbox = host.Services.GetRequiredService<OutboxProcessor>();
        await outbox.ProcessAsync(entries[0].Id);
        Assert.Equal(["Activity_notify"], await host.ActiveAsync(id));
        await outbox.ProcessAsync(entries[1].Id);

        Assert.Equal(["Activity_review"], await host.ActiveAsync(id));
        Assert.Equal(2, host.Effects.Effects.Count);
    }

    [Fact]
    public async Task CallActivity_Sequential_StartsOneChildPerItemInTurn()
    {
        var id = await host.StartAsync("mi-call", new { regions = new[] { "north", "south" } });

        foreach (var (region, counter) in new[] { ("north", 0), ("south", 1) })
        {
            var child = await host.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(i => i.ParentInstanceId == id && i.Status == InstanceStatus.Running));
            var variables = (await host.Runtime.GetInstanceAsync(child.Id))!.Variables;
            Assert.Equal(region, ((JsonNode)variables["region"]!).GetValue<string>());
            Assert.Equal(counter, ((JsonNode)variables["loopCounter"]!).GetValue<int>());
            Assert.DoesNotContain("nrOfInstances", variables.Keys);
            await host.CompleteAsync(child.Id, "Approve", variables: new { approved = true });
        }

        Assert.Equal(["Activity_pay"], await host.ActiveAsync(id));
        Assert.Equal(2, await host.QueryAsync(db => db.Set<WorkflowInstance>().CountAsync(i => i.ParentInstanceId == id && i.Status == InstanceStatus.Completed)));
    }

    [Fact]
    public async Task Cancel_CancelsEveryInstanceAndChild()
    {
        var id = await host.StartAsync("mi-parallel", new { approvers = Approvers });

        await host.Runtime.CancelAsync(id, "Withdrawn");

        Assert.All(await host.Runtime.GetTasksOfInstanceAsync(id), t => Assert.Equal(WorkItemStatus.Cancelled, t.Status));
        Assert.Empty(await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Publish_RefusesMarkersTheEngineCannotRun_NamingElementAndWhatToWrite()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("mi-invalid.bpmn"));

        Assert.Contains(problems, p => p.ElementId == "Activity_nocount" && p.IsError && p.Message.Contains("neither camunda:collection nor bpmn:loopCardinality"));
        Assert.Contains(problems, p => p.ElementId == "Activity_dataref" && p.IsError && p.Message.Contains("loopDataInputRef") && p.Message.Contains("camunda:collection"));
        Assert.Contains(problems, p => p.ElementId == "Activity_badcondition" && p.IsError && p.Message.StartsWith("Completion condition:"));
        Assert.Equal(3, problems.Count);
    }
}
