using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Events;

/// <summary>
/// Error end event: throws the business error <see cref="ErrorCode"/>. The nearest error boundary event that catches it —
/// on the sub-processes around it, then on the call activity of a calling process — interrupts its activity and the token
/// leaves there. If nothing catches it the token stops with an incident (never a silent end).
/// </summary>
public sealed class ErrorEndEvent : FlowNode
{
    public required string ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }

    internal override async Task EnterAsync(FlowContext context)
    {
        if (!await context.ThrowErrorAsync(ErrorCode, ErrorMessage))
            throw new ElementFailedException($"The error end event '{Id}' threw error '{ErrorCode}', and no error boundary event around it catches it; "
                + "attach an error boundary event to the sub-process or call activity that holds it.");
    }
}
