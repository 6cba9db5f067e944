using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>
/// An event sub-process (<c>triggeredByEvent="true"</c>) at the process level: no flows in or out, one timer or message
/// start event inside. Its start is armed when the instance starts (a timer row or a message subscription bookmarked on
/// the instance, with no token); when it fires, an interrupting start (the default) cancels everything else in the
/// instance, a non-interrupting one runs beside it (a timer cycle arms its next occurrence, a message subscription stays).
/// The token that arrives here is the scope of the tokens inside, as for an embedded sub-process; when none is left the
/// event sub-process ends. The instance's remaining triggers are withdrawn when it completes or is cancelled.
/// </summary>
public sealed class EventSubProcess : ActivityNode
{
    /// <summary>The timer or message start event inside (validated: exactly one).</summary>
    public StartEvent Start(ProcessModel model) => model.EventStartOf(this)
        ?? throw new ElementFailedException($"The event sub-process '{Id}' has no timer or message start event inside it.");

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.StartScope(Start(context.Run.Model));
        return Task.CompletedTask;
    }
}
