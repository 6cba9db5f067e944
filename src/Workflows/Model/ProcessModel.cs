using System.Collections.Concurrent;

namespace Remediation.Workflows.Model;

/// <summary>An immutable, parsed BPMN process.</summary>
public sealed class ProcessModel
{
    private readonly ConcurrentDictionary<(string From, string To), bool> reachability = new();

    internal ProcessModel(string processId, string? name, IReadOnlyDictionary<string, FlowNode> nodes, IReadOnlyList<FlowNode> documentOrder, IReadOnlyList<SequenceFlow> flows)
    {
        ProcessId = processId;
        Name = name;
        Nodes = nodes;
        DocumentOrder = documentOrder;
        Flows = flows;
        HasSubProcesses = documentOrder.Any(n => n is Elements.Tasks.SubProcess or Elements.Tasks.EventSubProcess);
        EventSubProcesses = documentOrder.OfType<Elements.Tasks.EventSubProcess>().Where(e => e.ScopeId is null).ToList();
    }

    public string ProcessId { get; }
    public string? Name { get; }
    public IReadOnlyDictionary<string, FlowNode> Nodes { get; }
    public IReadOnlyList<FlowNode> DocumentOrder { get; }
    public IReadOnlyList<SequenceFlow> Flows { get; }

    /// <summary>False when the file marks the process <c>isExecutable="false"</c>: it is never published.</summary>
    public bool IsExecutable { get; init; } = true;

    /// <summary>Elements a reported problem cut off (the target of a flow whose source is missing, a boundary event attached to
    /// nothing the engine runs), so validation does not call them unreachable as well.</summary>
    internal IReadOnlySet<string> ReachedDespiteProblems { get; init; } = new HashSet<string>();

    /// <summary>The process's own start events (not those inside sub-processes).</summary>
    public IEnumerable<Elements.Events.StartEvent> StartEvents => DocumentOrder.OfType<Elements.Events.StartEvent>().Where(s => s.ScopeId is null);

    /// <summary>Whether any sub-process or event sub-process is in the model (the runtime then looks for finished scopes).</summary>
    public bool HasSubProcesses { get; }

    /// <summary>The process-level event sub-processes, armed when an instance starts.</summary>
    public IReadOnlyList<Elements.Tasks.EventSubProcess> EventSubProcesses { get; }

    /// <summary>The timer or message start event inside an event sub-process, or null when it has none or several.</summary>
    public Elements.Events.StartEvent? EventStartOf(Elements.Tasks.EventSubProcess eventSubProcess)
    {
        var starts = DocumentOrder.OfType<Elements.Events.StartEvent>().Where(s => s.ScopeId == eventSubProcess.Id).ToList();
        return starts is [{ IsNone: false } start] ? start : null;
    }

    /// <summary>The none start event inside a sub-process, or null when it has none or several.</summary>
    public Elements.Events.StartEvent? StartOf(Elements.Tasks.SubProcess subProcess)
    {
        var starts = DocumentOrder.OfType<Elements.Events.StartEvent>().Where(s => s.ScopeId == subProcess.Id).ToList();
        return starts is [{ MessageName: null } start] ? start : null;
    }

    /// <summary>
    /// Successors of a node: its outgoing flows' targets and, for activities, its boundary events; a sub-process also leads into
    /// its start event, and an element inside a sub-process with no way on leads out of it, to where the sub-process goes when it
    /// completes (not back into it, so a token past an inclusive join inside is not taken to be able to reach it again).
    /// </summary>
    public IEnumerable<FlowNode> Successors(FlowNode node)
    {
        foreach (var flow in node.Outgoing) yield return flow.Target;
        if (node is ActivityNode activity)
        {
            foreach (var boundary in activity.Boundaries) yield return boundary;
            foreach (var boundary in activity.ErrorBoundaries) yield return boundary;
        }
        if (node is Elements.Tasks.SubProcess subProcess && StartOf(subProcess) is { } start) yield return start;
        for (var at = node; at.Outgoing.Count == 0 && at.ScopeId is { } scope && Nodes.GetValueOrDefault(scope) is { } owner; at = owner)
            foreach (var flow in owner.Outgoing) yield return flow.Target;
    }

    /// <summary>Whether a token at <paramref name="from"/> can still reach <paramref name="to"/> (used by inclusive joins).</summary>
    public bool CanReach(string from, string to) => reachability.GetOrAdd((from, to), key =>
    {
        var seen = new HashSet<string>();
        var stack = new Stack<FlowNode>();
        foreach (var next in Successors(Nodes[key.From])) stack.Push(next);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.Id == key.To) return true;
            if (!seen.Add(node.Id)) continue;
            foreach (var next in Successors(node)) stack.Push(next);
        }
        return false;
    });
}
