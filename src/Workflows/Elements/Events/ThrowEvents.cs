using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>An intermediate none throw event: a milestone. The journal records it reached; the token goes on.</summary>
public sealed class NoneThrowEvent : FlowNode
{
    internal override Task EnterAsync(FlowContext context)
    {
        context.Journal($"Milestone '{Name ?? Id}' reached.");
        context.LeaveByConditions();
        return Task.CompletedTask;
    }
}

/// <summary>
/// A message intermediate throw or message end event with <c>camunda:type="external"</c> and a topic (as in Camunda 7): the
/// handler registered for the topic sends the message from the outbox, idempotently; then the token goes on (or ends).
/// </summary>
public sealed class MessageThrowEvent : FlowNode
{
    public required string Topic { get; init; }
    public string? MessageName { get; init; }
    public override bool IsWaitState => true;

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.WriteOutbox(Topic);
        return Task.CompletedTask;
    }
}
