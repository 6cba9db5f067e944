using Xunit;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>Event-based gateway (issue 12, item 1): the first of its message or timer events wins, the others are withdrawn.</summary>
public sealed class EventBasedGatewayTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public EventBasedGatewayTests() => host = new WorkflowTestHost(clock: clock);
    public Task InitializeAsync() => host.PublishAsync("event-gateway.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<int> ScheduledTimersAsync(Guid id) =>
        host.QueryAsync(db => db.Set<WorkflowTimer>().CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Scheduled));

    private Task<int> SubscriptionsAsync(Guid id) =>
        host.QueryAsync(db => db.Set<MessageSubscription>().CountAsync(s => s.InstanceId == id));

    [Fact]
    public async Task Waiting_HoldsOneTimerAndOneSubscription()
    {
        var id = await host.StartAsync("event-gateway", businessKey: "case-w");
        Assert.Equal(["Gateway_wait"], await host.ActiveAsync(id));
        Assert.Equal((1, 1), (await ScheduledTimersAsync(id), await SubscriptionsAsync(id)));
    }

    [Fact]
    public async Task MessageFirst_TakesTheMessagePath_AndCancelsTheTimer()
    {
        var id = await host.StartAsync("event-gateway", businessKey: "case-m");

        var result = await host.Runtime.CorrelateMessageAsync("documents-received", "case-m", new Dictionary<string, object?> { ["pages"] = 3 });

        Assert.Equal(1, result.Value);
        Assert.Equal(["Activity_review"], await host.ActiveAsync(id));
        Assert.Equal((0, 0), (await ScheduledTimersAsync(id), await SubscriptionsAsync(id)));
        clock.Advance(TimeSpan.FromHours(72));
        await host.FireDueTimersAsync(clock);
        Assert.Equal(["Activity_review"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task TimerFirst_TakesTheTimerPath_AndWithdrawsTheSubscription()
    {
        var id = await host.StartAsync("event-gateway", businessKey: "case-t");

        clock.Advance(TimeSpan.FromHours(72));
        await host.FireDueTimersAsync(clock);

        Assert.Equal(["Activity_chase"], await host.ActiveAsync(id));
        Assert.Equal(0, await SubscriptionsAsync(id));
        var late = await host.Runtime.CorrelateMessageAsync("documents-received", "case-t");
        Assert.Equal(WorkflowOutcome.NotFound, late.Outcome);
        Assert.Equal(["Activity_chase"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task MessageAndTimerTogether_ExactlyOneWins()
    {
        // Given ten instances whose timer is due, When the message and the timer arrive at the same moment for each, Then each
        // instance took exactly one path and the journal shows one event passed.
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++) ids.Add(await host.StartAsync("event-gateway", businessKey: $"race-{i}"));
        clock.Advance(TimeSpan.FromHours(72));
        var timers = await host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.Status == TimerStatus.Scheduled).ToListAsync());

        using var start = new ManualResetEventSlim();
        var races = ids.SelectMany((id, i) => new[]
        {
            Task.Run(async () => { start.Wait(); await host.Runtime.CorrelateMessageAsync("documents-received", $"race-{i}"); }),
            Task.Run(async () => { start.Wait(); await host.Runtime.FireTimerAsync(timers.Single(t => t.InstanceId == id).Id); }),
        }).ToList();
        start.Set();
        await Task.WhenAll(races);
        await host.FireDueTimersAsync(clock); // a timer that lost its race and is still scheduled would fire now

        foreach (var id in ids)
        {
            var active = await host.ActiveAsync(id);
            Assert.True(active is ["Activity_review"] or ["Activity_chase"], string.Join(",", active));
            var journal = await host.Runtime.GetJournalAsync(id);
            Assert.Single(journal, j => j.ElementId == "Gateway_wait" && j.Kind == JournalKind.Completed);
            Assert.Single(journal, j => j.ElementId is "Event_documents" or "Event_3_days" && j.Kind == JournalKind.Completed);
            Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id));
            Assert.Equal((0, 0), (await ScheduledTimersAsync(id), await SubscriptionsAsync(id)));
        }
    }

    [Fact]
    public async Task Publish_RefusesAnEventBasedGatewayLeadingToSomethingElse()
    {
        var xml = WorkflowTestHost.Fixture("event-gateway.bpmn").Replace("targetRef=\"Event_3_days\" />", "targetRef=\"Activity_chase\" />");
        var problems = await host.Definitions.ValidateAsync(xml);
        Assert.Contains(problems, p => p.ElementId == "Flow_timer" && p.Message.Contains("may only lead to timer or message intermediate catch events"));
    }
}
