using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>
/// A timer on an activity. Interrupting: when it fires the activity is cancelled and the token leaves here.
/// Non-interrupting: a new token leaves here (e.g. to an escalation task) and the activity keeps waiting;
/// with a cycle it fires again.
/// </summary>
public sealed class BoundaryTimerEvent : FlowNode
{
    public required string AttachedToId { get; init; }
    public bool CancelActivity { get; init; } = true;
    public required TimerSpec Timer { get; init; }

    internal override IEnumerable<string> Scripts => Timer.Expression is { } script ? [script] : [];

    /// <summary>Tokens arrive here only when the timer fires.</summary>
    internal override Task EnterAsync(FlowContext context)
    {
        context.LeaveByConditions();
        return Task.CompletedTask;
    }
}
