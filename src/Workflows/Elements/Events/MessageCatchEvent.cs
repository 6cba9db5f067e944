using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>Intermediate message catch: the token waits for a message with this name and the instance's correlation key.</summary>
public sealed class MessageCatchEvent : FlowNode
{
    public required string MessageName { get; init; }
    public override bool IsWaitState => true;

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.Subscribe(MessageName);
        return Task.CompletedTask;
    }
}
