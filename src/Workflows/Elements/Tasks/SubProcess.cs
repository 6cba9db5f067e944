using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>
/// An embedded sub-process: its own scope. The arriving token waits here (its boundary timers armed on it) and a token starts at
/// the none start event inside, with this token as its parent. When no token is left inside, the sub-process completes and
/// leaves by its flows. Interrupting it (a boundary timer, cancel) cancels everything inside; a terminate end event inside
/// ends only this scope. With a multi-instance marker each instance is such a scope.
/// </summary>
public sealed class SubProcess : ActivityNode
{
    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.ArmBoundaries(this);
        context.StartScope(context.Run.Model.StartOf(this)
            ?? throw new ElementFailedException($"The sub-process '{Id}' has no none start event inside it."));
        return Task.CompletedTask;
    }
}
