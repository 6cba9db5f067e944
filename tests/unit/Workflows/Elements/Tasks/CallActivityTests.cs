using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements.Tasks;

public sealed class CallActivityTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => host.PublishAsync("call-child.bpmn", "call-parent.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<Guid> ChildOfAsync(Guid parent) =>
        (await host.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Set<WorkflowInstance>().Where(i => i.ParentInstanceId == parent)))).Id;

    [Fact]
    public async Task CallActivity_StartsChild_AndResumesParentWithChildOutput()
    {
        var parent = await host.StartAsync("call-parent", new { amount = 300 });
        var child = await ChildOfAsync(parent);
        Assert.Equal(["GetApproval"], await host.ActiveAsync(parent));
        Assert.Equal(300, ((System.Text.Json.Nodes.JsonNode)(await host.Runtime.GetInstanceAsync(child))!.Variables["amount"]!).GetValue<int>());

        await host.CompleteAsync(child, "Approve", variables: new { approved = true });

        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(child))!.Status);
        Assert.Equal(["Pay"], await host.ActiveAsync(parent));
    }

    [Fact]
    public async Task Cancel_CancelsChildInstances()
    {
        var parent = await host.StartAsync("call-parent");
        var child = await ChildOfAsync(parent);

        await host.Runtime.CancelAsync(parent, "Duplicate case");

        Assert.Equal(InstanceStatus.Cancelled, (await host.Runtime.GetInstanceAsync(child))!.Status);
        Assert.Equal(WorkItemStatus.Cancelled, Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(child)).Status);
    }
}
