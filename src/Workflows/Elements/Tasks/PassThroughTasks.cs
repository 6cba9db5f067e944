using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>A plain task (<c>bpmn:task</c>): nothing to do; the token passes through and the journal records it.</summary>
public sealed class PlainTask : FlowNode
{
    internal override Task EnterAsync(FlowContext context)
    {
        context.LeaveByConditions();
        return Task.CompletedTask;
    }
}

/// <summary>A manual task: work done outside any system; the token passes through and the journal records it.</summary>
public sealed class ManualTask : FlowNode
{
    internal override Task EnterAsync(FlowContext context)
    {
        context.LeaveByConditions();
        return Task.CompletedTask;
    }
}
