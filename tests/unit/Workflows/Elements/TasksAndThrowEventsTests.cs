using System.Text.Json.Nodes;
using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>Task, manual, script, send and receive tasks; none and message throw events; message end events (issue 12, item 1).</summary>
public sealed class TasksAndThrowEventsTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public TasksAndThrowEventsTests() => host = new WorkflowTestHost(clock: clock);
    public Task InitializeAsync() => host.PublishAsync("tasks-and-events.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task RunPendingHandlerAsync(Guid id, string elementId)
    {
        var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id && o.Status == OutboxStatus.Pending));
        Assert.Equal(elementId, entry.ElementId);
        await host.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
    }

    [Fact]
    public async Task Diagram_RunsEveryElement_InOrder()
    {
        // Given amount 500, When started, Then the pass-through elements are journaled, the script set refund, and the send task waits for its handler.
        var id = await host.StartAsync("tasks-and-events", new { amount = 500 }, businessKey: "case-te");
        Assert.Equal(["Activity_send"], await host.ActiveAsync(id));
        Assert.Equal(50, ((JsonNode)(await host.Runtime.GetInstanceAsync(id))!.Variables["refund"]!).GetValue<double>());
        var journal = await host.Runtime.GetJournalAsync(id);
        foreach (var passed in new[] { "Activity_prepare", "Activity_phone", "Activity_compute" })
            Assert.Contains(journal, j => j.ElementId == passed && j.Kind == JournalKind.Completed);
        Assert.Contains(journal, j => j.ElementId == "Event_contacted" && j.Detail == "Milestone 'Customer contacted' reached.");

        // When the send handler has run, Then the receive task waits for customer-reply; when it comes, the message throw event's handler is next.
        await RunPendingHandlerAsync(id, "Activity_send");
        Assert.Equal(["Activity_await"], await host.ActiveAsync(id));
        Assert.Equal(1, (await host.Runtime.CorrelateMessageAsync("customer-reply", "case-te")).Value);
        Assert.Equal(["Event_confirmation"], await host.ActiveAsync(id));
        Assert.Empty(await host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id && t.Status == TimerStatus.Scheduled).ToListAsync()));

        await RunPendingHandlerAsync(id, "Event_confirmation");
        await host.CompleteAsync(id, "Activity_close");
        Assert.Equal(["Event_closed"], await host.ActiveAsync(id));
        await RunPendingHandlerAsync(id, "Event_closed");

        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
        Assert.Equal(3, host.Effects.Effects.Count);
    }

    [Fact]
    public async Task ReceiveTask_TimerBoundary_WithdrawsTheSubscription()
    {
        var id = await host.StartAsync("tasks-and-events", new { amount = 100 }, businessKey: "case-late");
        await RunPendingHandlerAsync(id, "Activity_send");

        clock.Advance(TimeSpan.FromDays(7));
        await host.FireDueTimersAsync(clock);

        Assert.Equal(["Activity_chase"], await host.ActiveAsync(id));
        Assert.Equal(WorkflowOutcome.NotFound, (await host.Runtime.CorrelateMessageAsync("customer-reply", "case-late")).Outcome);
    }

    [Fact]
    public async Task ScriptTask_HittingASandboxLimit_IsAnIncidentOnTheScriptTask()
    {
        var xml = WorkflowTestHost.Fixture("tasks-and-events.bpmn").Replace("amount * 0.1", "while (true) { }").Replace("id=\"tasks-and-events\"", "id=\"endless-script\"");
        var draft = await host.Definitions.SaveDraftAsync(xml);
        Assert.True((await host.Definitions.PublishAsync(draft.Value!.ProcessId)).IsOk);

        var id = await host.StartAsync("endless-script", new { amount = 1 });

        var incident = Assert.Single((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        Assert.Equal("Activity_compute", incident.ElementId);
    }

    [Fact]
    public async Task Publish_RefusesWhatTheEngineCannotRun_NamingElementAndWhatToUseInstead()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("tasks-invalid.bpmn"));
        var lines = string.Join('\n', problems);

        Assert.True(problems.Any(p => p.ElementId == "Activity_groovy" && p.Message.Contains("'groovy'") && p.Message.Contains("JavaScript")), lines);
        Assert.True(problems.Any(p => p.ElementId == "Activity_execution" && p.Message.Contains("execution object") && p.Message.Contains("camunda:resultVariable")), lines);
        Assert.True(problems.Any(p => p.ElementId == "Activity_syntax" && p.Message.Contains("not valid JavaScript")), lines);
        Assert.True(problems.Any(p => p.ElementId == "Event_signal" && p.Message.Contains("signalEventDefinition") && p.Message.Contains("none throw event")), lines);
        Assert.True(problems.Any(p => p.ElementId == "Event_message_end" && p.Message.Contains("camunda:topic")), lines);
    }
}
