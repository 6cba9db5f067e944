using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements.Events;

public sealed class MessageCatchEventTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => host.PublishAsync("message.bpmn", "message-start.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Correlate_ResumesOnlyTheMatchingInstance_WithMessageVariables()
    {
        var mine = await host.StartAsync("message", businessKey: "case-7");
        var other = await host.StartAsync("message", businessKey: "case-8");

        var result = await host.Runtime.CorrelateMessageAsync("payment-received", "case-7", new Dictionary<string, object?> { ["paid"] = 120.5 });

        Assert.Equal(1, result.Value);
        Assert.Equal(["Confirm"], await host.ActiveAsync(mine));
        Assert.Equal(["WaitPaid"], await host.ActiveAsync(other));
        Assert.Equal(120.5, ((System.Text.Json.Nodes.JsonNode)(await host.Runtime.GetInstanceAsync(mine))!.Variables["paid"]!).GetValue<double>());
    }

    [Fact]
    public async Task Correlate_ReturnsNotFound_WhenNobodyWaits()
    {
        var result = await host.Runtime.CorrelateMessageAsync("payment-received", "no-such-case");
        Assert.Equal(WorkflowOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task Correlate_StartsInstance_WhenProcessHasMessageStart()
    {
        var result = await host.Runtime.CorrelateMessageAsync("review-posted", "review-42", commandId: "msg-1");
        var replay = await host.Runtime.CorrelateMessageAsync("review-posted", "review-42", commandId: "msg-1");

        Assert.Equal(1, result.Value);
        Assert.Equal(0, replay.Value);
        var task = Assert.Single((await host.Runtime.GetTasksForUserAsync(WorkflowTestHost.Alice)).Items);
        Assert.Equal("Reply", task.ElementId);
        Assert.Equal("review-42", task.BusinessKey);
    }
}

public sealed class EndEventTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => host.PublishAsync("terminate.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task TerminateEnd_EndsEveryToken_AndCancelsOpenTasks()
    {
        var id = await host.StartAsync("terminate");
        await host.CompleteAsync(id, "Withdraw");

        var instance = await host.Runtime.GetInstanceAsync(id);
        Assert.Equal(InstanceStatus.Completed, instance!.Status);
        Assert.Empty(instance.ActiveElementIds);
        Assert.Equal(WorkItemStatus.Cancelled, (await host.Runtime.GetTasksOfInstanceAsync(id)).Single(t => t.ElementId == "Investigate").Status);
        Assert.Contains(await host.Runtime.GetJournalAsync(id), j => j.ElementId == "Investigate" && j.Kind == JournalKind.Cancelled);
    }

    [Fact]
    public async Task NoneEnd_WaitsForOtherTokens_BeforeCompleting()
    {
        var id = await host.StartAsync("terminate");
        await host.CompleteAsync(id, "Investigate");
        Assert.Equal(InstanceStatus.Running, (await host.Runtime.GetInstanceAsync(id))!.Status);
        Assert.Equal(["Withdraw"], await host.ActiveAsync(id));
    }
}
