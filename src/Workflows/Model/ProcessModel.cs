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

    public IEnumerable<Elements.Events.StartEvent> StartEvents => DocumentOrder.OfType<Elements.Events.StartEvent>();

    /// <summary>Successors of a node: its outgoing flows' targets and, for activities, its boundary events.</summary>
    public static IEnumerable<FlowNode> Successors(FlowNode node)
    {
        foreach (var flow in node.Outgoing) yield return flow.Target;
        if (node is ActivityNode activity)
            foreach (var boundary in activity.Boundaries) yield return boundary;
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
