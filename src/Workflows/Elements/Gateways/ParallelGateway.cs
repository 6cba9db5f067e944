using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Gateways;

/// <summary>AND: joins one token from every incoming flow, then forks onto every outgoing flow.</summary>
public sealed class ParallelGateway : FlowNode
{
    internal override Task EnterAsync(FlowContext context)
    {
        if (Incoming.Count > 1 && !context.JoinAll()) return Task.CompletedTask;
        context.Take(Outgoing);
        return Task.CompletedTask;
    }
}
