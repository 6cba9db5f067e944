using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>Intermediate timer catch: the token waits for a timer row to fall due.</summary>
public sealed class TimerCatchEvent : FlowNode
{
    public required TimerSpec Timer { get; init; }

    internal override IEnumerable<string> Scripts => Timer.Expression is { } script ? [script] : [];
    public override bool IsWaitState => true;

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.CreateTimer(Id, Timer);
        return Task.CompletedTask;
    }
}
