using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>None end consumes the token; terminate end ends every token of the instance.</summary>
public sealed class EndEvent : FlowNode
{
    public bool Terminate { get; init; }

    internal override Task EnterAsync(FlowContext context)
    {
        if (Terminate) return context.TerminateAsync();
        context.End();
        return Task.CompletedTask;
    }
}
