using System.Text.Json.Nodes;

namespace Remediation.Workflows;

/// <summary>What a service-task handler receives. Pass <see cref="IdempotencyKey"/> to the outside system so a retry never acts twice.</summary>
public sealed record TopicContext(Guid InstanceId, string ElementId, string Topic, string IdempotencyKey, string? BusinessKey, JsonObject Variables, int Attempt);

/// <summary>A .NET handler for a service task topic (<c>camunda:topic</c>). Runs outside the engine transaction, from the outbox.</summary>
public interface IWorkflowTopicHandler
{
    /// <summary>Does the work; the returned variables (may be null) are merged into the instance. Throw to have it retried.</summary>
    Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken);
}

/// <summary>One registered topic.</summary>
public sealed record TopicRegistration(string Topic, Type HandlerType);

/// <summary>One registered portal form key.</summary>
public sealed record FormKeyRegistration(string FormKey);

/// <summary>The topics and form keys the host registered.</summary>
public sealed class WorkflowRegistry(IEnumerable<TopicRegistration> topics, IEnumerable<FormKeyRegistration> formKeys)
{
    private readonly Dictionary<string, Type> topics = topics.ToDictionary(t => t.Topic, t => t.HandlerType, StringComparer.Ordinal);
    private readonly HashSet<string> formKeys = formKeys.Select(f => f.FormKey).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every registered topic, for the designer's lint.</summary>
    public IEnumerable<string> Topics => topics.Keys;
    /// <summary>Every registered form key, for the designer's lint.</summary>
    public IEnumerable<string> FormKeys => formKeys;
    public bool IsKnownTopic(string topic) => topics.ContainsKey(topic);
    public bool IsKnownFormKey(string formKey) => formKeys.Contains(formKey);
    public Type? HandlerType(string topic) => topics.GetValueOrDefault(topic);
}

/// <summary>
/// Thrown by a topic handler for a <b>business</b> outcome the process models (e.g. "not eligible"): an error boundary event
/// with this <see cref="ErrorCode"/> (or a catch-all one) on the service task or around it takes over at once — no retries.
/// Any other exception is a technical failure: retried with backoff, then an incident.
/// </summary>
public sealed class BpmnErrorException(string errorCode, string? message = null) : Exception(message ?? errorCode)
{
    public string ErrorCode { get; } = errorCode;
}
