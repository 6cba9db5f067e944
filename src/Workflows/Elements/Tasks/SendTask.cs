namespace Remediation.Workflows.Elements.Tasks;

/// <summary>A send task: like an external service task, the handler registered for its topic sends the message (from the outbox) and the token then goes on.</summary>
public sealed class SendTask : ServiceTask;
