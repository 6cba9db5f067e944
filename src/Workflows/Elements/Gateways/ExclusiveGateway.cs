using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Gateways;

/// <summary>XOR: the first flow (document order) whose condition is true, else the default flow, else an incident. Merges pass through.</summary>
public sealed class ExclusiveGateway : FlowNode
{
    internal override Task EnterAsync(FlowContext context)
    {
        if (Outgoing.Count == 1)
        {
            context.Take([Outgoing[0]]);
            return Task.CompletedTask;
        }
        var chosen = Outgoing.FirstOrDefault(f => f.Id != DefaultFlowId && context.IsTrue(f))
            ?? Outgoing.FirstOrDefault(f => f.Id == DefaultFlowId)
            ?? throw new ElementFailedException($"No outgoing condition of exclusive gateway '{Id}' is true and it has no default flow.");
        context.Take([chosen]);
        return Task.CompletedTask;
    }
}
