using Remediation.Workflows.Elements;
using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>Starts a child instance of the latest published <see cref="CalledElement"/> with a copy of the variables; resumes with the child's variables when it ends.</summary>
public sealed class CallActivity : ActivityNode
{
    public required string CalledElement { get; init; }
    /// <summary><c>camunda:in</c> / <c>camunda:out</c>, or null (all variables both ways).</summary>
    public CallMappings? Mappings { get; init; }

    internal override async Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.ArmBoundaries(this);
        await context.StartChildAsync(CalledElement);
    }
}
