using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Gateways;

/// <summary>OR: joins only the tokens that can still arrive, then takes every flow whose condition is true (else the default).</summary>
public sealed class InclusiveGateway : FlowNode
{
    internal override Task EnterAsync(FlowContext context)
    {
        if (Incoming.Count > 1 && !context.JoinReachable()) return Task.CompletedTask;
        Fork(context);
        return Task.CompletedTask;
    }

    internal void Fork(FlowContext context)
    {
        if (Outgoing.Count == 1)
        {
            context.Take([Outgoing[0]]);
            return;
        }
        var chosen = Outgoing.Where(f => f.Id != DefaultFlowId && context.IsTrue(f)).ToList();
        if (chosen.Count == 0 && Outgoing.FirstOrDefault(f => f.Id == DefaultFlowId) is { } fallback) chosen.Add(fallback);
        if (chosen.Count == 0)
            throw new ElementFailedException($"No outgoing condition of inclusive gateway '{Id}' is true and it has no default flow.");
        context.Take(chosen);
    }
}
