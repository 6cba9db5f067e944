using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>None start (started by the portal) or message start (started by a correlated message).</summary>
public sealed class StartEvent : FlowNode
{
    public string? MessageName { get; init; }

    internal override Task EnterAsync(FlowContext context)
    {
        context.LeaveByConditions();
        return Task.CompletedTask;
    }
}
