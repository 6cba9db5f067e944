using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>An external service task: writes an outbox entry for the handler registered under <see cref="Topic"/> and waits for it.</summary>
public class ServiceTask : ActivityNode
{
    public required string Topic { get; init; }

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.WriteOutbox(Topic);
        context.ArmBoundaries(this);
        return Task.CompletedTask;
    }
}
