using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements.Gateways;

public sealed class ExclusiveGatewayTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => host.PublishAsync("exclusive.bpmn", "exclusive-no-default.bpmn", "endless-condition.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Theory]
    [InlineData(5000, "Approve")]   // both conditions true: the first in document order wins
    [InlineData(500, "Review")]
    public async Task Start_TakesFirstTrueFlowInDocumentOrder(int amount, string expected)
    {
        var id = await host.StartAsync("exclusive", new { amount });
        Assert.Equal([expected], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Start_TakesDefaultFlow_WhenNoConditionIsTrue()
    {
        var id = await host.StartAsync("exclusive", new { amount = 5 });
        var instance = await host.Runtime.GetInstanceAsync(id);
        Assert.Equal(InstanceStatus.Completed, instance!.Status);
    }

    [Fact]
    public async Task Start_RaisesIncidentNamingGateway_WhenNoConditionIsTrueAndNoDefault()
    {
        var id = await host.StartAsync("exclusive-no-default", new { amount = 50 });
        var instance = await host.Runtime.GetInstanceAsync(id);

        Assert.Equal(InstanceStatus.Running, instance!.Status);
        var incident = Assert.Single(instance.OpenIncidents);
        Assert.Equal("Decide", incident.ElementId);
        Assert.Contains("no default flow", incident.Message);
    }

    [Fact]
    public async Task RetryIncident_ReevaluatesGateway_AndRaisesNewIncident_WhenStillNoPath()
    {
        // Given the gateway failed for amount 50, When the incident is retried with nothing changed, Then the gateway is re-evaluated and fails again with a new incident.
        var id = await host.StartAsync("exclusive-no-default", new { amount = 50 });
        var incident = (await host.Runtime.GetInstanceAsync(id))!.OpenIncidents.Single();

        var retried = await host.Runtime.RetryIncidentAsync(incident.Id, "admin");
        var after = await host.Runtime.GetInstanceAsync(id);

        Assert.True(retried.IsOk);
        var again = Assert.Single(after!.OpenIncidents);
        Assert.NotEqual(incident.Id, again.Id);
        Assert.Equal(WorkflowOutcome.Conflict, (await host.Runtime.RetryIncidentAsync(incident.Id, "admin")).Outcome);
    }

    [Fact]
    public async Task Start_RaisesIncidentWithinOneSecond_WhenConditionNeverReturns()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var id = await host.StartAsync("endless-condition");
        watch.Stop();

        var incident = Assert.Single((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        Assert.Equal("Decide", incident.ElementId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }
}

public sealed class ParallelGatewayTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => host.PublishAsync("parallel.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Theory]
    [InlineData("Refund", "Apologise")]
    [InlineData("Apologise", "Refund")]
    public async Task Join_WaitsForEveryIncomingFlow_ThenContinuesOnce(string first, string second)
    {
        var id = await host.StartAsync("parallel");
        Assert.Equal(new[] { "Apologise", "Refund" }, (await host.ActiveAsync(id)).Order().ToArray());

        await host.CompleteAsync(id, first);
        Assert.Equal(new[] { second, "Join" }.Order().ToArray(), (await host.ActiveAsync(id)).Order().ToArray());

        await host.CompleteAsync(id, second);
        Assert.Equal(["FollowUp"], await host.ActiveAsync(id));
        Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id), t => t.ElementId == "FollowUp");
    }

    [Fact]
    public async Task Start_RaisesIncident_WhenStepLimitIsReached()
    {
        // Given a command may take only 2 steps, When the fork needs more, Then the remaining tokens stop with an incident instead of spinning.
        await using var limited = new WorkflowTestHost(configure: o => o.MaxStepsPerCommand = 2);
        await limited.PublishAsync("parallel.bpmn");
        var id = await limited.StartAsync("parallel");

        var instance = await limited.Runtime.GetInstanceAsync(id);
        Assert.NotEmpty(instance!.OpenIncidents);
        Assert.Contains("more than 2 steps", instance.OpenIncidents[0].Message);
    }
}

public sealed class InclusiveGatewayTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => host.PublishAsync("inclusive.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Join_WaitsOnlyForTokensThatCanArrive_WhenOneFlowWasTaken()
    {
        var id = await host.StartAsync("inclusive", new { refund = true, voucher = false });
        Assert.Equal(["Refund"], await host.ActiveAsync(id));

        await host.CompleteAsync(id, "Refund");
        Assert.Equal(["Close"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Join_WaitsForBoth_WhenBothFlowsWereTaken()
    {
        var id = await host.StartAsync("inclusive", new { refund = true, voucher = true });
        await host.CompleteAsync(id, "Voucher");
        Assert.Contains("Join", await host.ActiveAsync(id));
        Assert.DoesNotContain("Close", await host.ActiveAsync(id));

        await host.CompleteAsync(id, "Refund");
        Assert.Equal(["Close"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Split_TakesDefault_WhenNoConditionIsTrue()
    {
        var id = await host.StartAsync("inclusive", new { refund = false, voucher = false });
        Assert.Equal(["Note"], await host.ActiveAsync(id));
        await host.CompleteAsync(id, "Note");
        Assert.Equal(["Close"], await host.ActiveAsync(id));
    }
}
