using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Gateways;

/// <summary>
/// Event-based gateway: the token waits here for the first of the events its flows lead to — a message (a subscription for
/// each) or a timer (a timer row for each), all bookmarked on the gateway's token. The first that arrives wins: the other
/// bookmarks are withdrawn in the same command and the token goes on through the winning event. A message and a timer that
/// arrive together are two commands on one instance row, so exactly one of them commits; the other finds its bookmark gone.
/// </summary>
public sealed class EventBasedGateway : FlowNode
{
    public override bool IsWaitState => true;

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        foreach (var flow in Outgoing)
            switch (flow.Target)
            {
                case TimerCatchEvent timer:
                    context.CreateTimer(timer.Id, timer.Timer);
                    break;
                case MessageCatchEvent message:
                    context.Subscribe(message.MessageName, message.Id);
                    break;
                default:
                    throw new ElementFailedException($"The event-based gateway '{Id}' leads to '{flow.TargetId}', which is not a timer or message catch event.");
            }
        return Task.CompletedTask;
    }
}
