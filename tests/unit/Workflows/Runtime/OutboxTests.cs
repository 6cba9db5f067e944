using Xunit;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>Service tasks through the outbox and real Hangfire jobs.</summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public async Task InitializeAsync()
    {
        await host.PublishAsync("service.bpmn");
        host.StartJobServer();
    }
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the background job");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Handler_HasOneEffect_WhenItFailsTwiceThenSucceeds()
    {
        host.Effects.FailuresLeft = 2;
        var id = await host.StartAsync("service");

        await WaitUntilAsync(async () => (await host.ActiveAsync(id)).Contains("Review"));

        Assert.Equal(3, host.Effects.Calls);
        Assert.Equal(1, Assert.Single(host.Effects.Effects).Value);
        var instance = await host.Runtime.GetInstanceAsync(id);
        Assert.True(((System.Text.Json.Nodes.JsonNode)instance!.Variables["acknowledged"]!).GetValue<bool>());
        Assert.Empty(instance.OpenIncidents);
    }

    [Fact]
    public async Task Handler_RaisesIncident_WhenItAlwaysFails_AndRetryGivesExactlyOneEffect()
    {
        host.Effects.AlwaysFail = true;
        var id = await host.StartAsync("service");

        await WaitUntilAsync(async () => (await host.Runtime.GetInstanceAsync(id))!.OpenIncidents.Count > 0);
        var incident = Assert.Single((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        Assert.Equal("Acknowledge", incident.ElementId);
        Assert.Equal(IncidentKind.HandlerFailed, incident.Kind);
        Assert.Contains("mail server down", incident.Message);
        Assert.Equal(3, host.Effects.Calls);   // OutboxMaxAttempts = 3 in the test host
        Assert.Empty(host.Effects.Effects);

        host.Effects.AlwaysFail = false;       // the mail server is fixed
        Assert.True((await host.Runtime.RetryIncidentAsync(incident.Id, "admin")).IsOk);

        await WaitUntilAsync(async () => (await host.ActiveAsync(id)).Contains("Review"));
        Assert.Equal(1, Assert.Single(host.Effects.Effects).Value);
        Assert.Empty((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id));
        Assert.Equal(OutboxStatus.Done, entry.Status);
    }
}
