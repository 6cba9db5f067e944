using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>
/// An error boundary event (always interrupting): catches a business error thrown inside its activity — by an error end event,
/// a service-task handler (<see cref="BpmnErrorException"/>) or a called process — with its <see cref="ErrorCode"/>, or any
/// error when it names none. The activity and everything inside it is cancelled and the token leaves here;
/// <c>camunda:errorCodeVariable</c> / <c>camunda:errorMessageVariable</c> receive the code and message.
/// </summary>
public sealed class BoundaryErrorEvent : FlowNode
{
    public required string AttachedToId { get; init; }
    /// <summary>Null: catches every error.</summary>
    public string? ErrorCode { get; init; }
    public string? CodeVariable { get; init; }
    public string? MessageVariable { get; init; }

    public bool Catches(string code) => ErrorCode is null || ErrorCode == code;

    /// <summary>Tokens arrive here only when an error is caught.</summary>
    internal override Task EnterAsync(FlowContext context)
    {
        context.LeaveByConditions();
        return Task.CompletedTask;
    }
}
