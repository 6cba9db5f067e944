using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>
/// None start (started by the portal), message start (started by a correlated message) or timer start (started by the
/// engine at each due time of its timer, see <see cref="Runtime.StartTimers"/>).
/// </summary>
public sealed class StartEvent : FlowNode
{
    public string? MessageName { get; init; }
    public TimerSpec? Timer { get; init; }
    /// <summary>For the start event of an event sub-process: whether it cancels the rest of the instance (<c>isInterrupting</c>, default true).</summary>
    public bool Interrupting { get; init; } = true;

    /// <summary>A none start event: what <c>StartAsync</c> and call activities start at.</summary>
    public bool IsNone => MessageName is null && Timer is null;

    internal override Task EnterAsync(FlowContext context)
    {
        context.LeaveByConditions();
        return Task.CompletedTask;
    }
}
