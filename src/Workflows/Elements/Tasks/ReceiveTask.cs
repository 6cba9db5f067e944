using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>A receive task: waits, like a message catch event, for a message with this name and the instance's correlation key; it may carry timer and error boundary events.</summary>
public sealed class ReceiveTask : ActivityNode
{
    public required string MessageName { get; init; }

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.Subscribe(MessageName);
        context.ArmBoundaries(this);
        return Task.CompletedTask;
    }
}
