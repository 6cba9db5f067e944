using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Model;

/// <summary>A BPMN flow node. Each supported element type is one small subclass that knows how a token behaves there.</summary>
public abstract class FlowNode
{
    internal readonly List<SequenceFlow> incoming = [];
    internal readonly List<SequenceFlow> outgoing = [];

    public required string Id { get; init; }
    public string? Name { get; init; }
    /// <summary>The BPMN element name, e.g. <c>userTask</c>.</summary>
    public required string ElementType { get; init; }
    public string? DefaultFlowId { get; init; }
    /// <summary>The sub-process this element runs in; null at the process level.</summary>
    public string? ScopeId { get; internal set; }
    public IReadOnlyList<SequenceFlow> Incoming => incoming;
    public IReadOnlyList<SequenceFlow> Outgoing => outgoing;

    /// <summary>True when a token stops here until a person, a timer, a message, a handler or a child process moves it on.</summary>
    public virtual bool IsWaitState => false;

    /// <summary>Scripts this element evaluates, for validation at publish (element id, script).</summary>
    internal virtual IEnumerable<string> Scripts => [];

    /// <summary>A token has arrived.</summary>
    internal abstract Task EnterAsync(FlowContext context);

    /// <summary>The wait is over (task completed, timer fired, message arrived, child ended): move on.</summary>
    internal virtual void Leave(FlowContext context) => context.LeaveByConditions();
}

/// <summary>An element a boundary event can be attached to.</summary>
public abstract class ActivityNode : FlowNode
{
    internal readonly List<Elements.Events.BoundaryTimerEvent> boundaries = [];
    public IReadOnlyList<Elements.Events.BoundaryTimerEvent> Boundaries => boundaries;
    internal readonly List<Elements.Events.BoundaryErrorEvent> errorBoundaries = [];
    /// <summary>Error boundary events attached to this activity (timers are in <see cref="Boundaries"/>).</summary>
    public IReadOnlyList<Elements.Events.BoundaryErrorEvent> ErrorBoundaries => errorBoundaries;
    public override bool IsWaitState => true;
    /// <summary>The multi-instance marker, or null for an activity that runs once.</summary>
    public Elements.MultiInstanceLoop? Loop { get; init; }
    /// <summary><c>camunda:inputOutput</c>, or null.</summary>
    public Elements.InputOutput? Io { get; init; }
}

/// <summary>A connection between two nodes; <see cref="Condition"/> is JavaScript.</summary>
public sealed class SequenceFlow
{
    public required string Id { get; init; }
    public required string SourceId { get; init; }
    public required string TargetId { get; init; }
    public string? Condition { get; init; }
    public FlowNode Source { get; internal set; } = null!;
    public FlowNode Target { get; internal set; } = null!;
}

/// <summary>A field of a generated form (<c>camunda:formField</c>); <see cref="Values"/> are an enum's value ids.</summary>
public sealed record FormField(string Id, string? Label, string Type, string? DefaultValue, bool Required, IReadOnlyList<string> Values)
{
    /// <summary>An enum's value names (<c>camunda:value name</c>) by value id; a value without a name is left out.</summary>
    public IReadOnlyDictionary<string, string> ValueNames { get; init; } = new Dictionary<string, string>();
}

/// <summary>An element the engine does not run; kept in the model so validation can name it.</summary>
public sealed class UnsupportedNode : FlowNode
{
    public required string Reason { get; init; }
    internal override Task EnterAsync(FlowContext context) => throw new ElementFailedException(Reason);
}
