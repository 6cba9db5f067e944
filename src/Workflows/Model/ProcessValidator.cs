using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Elements.Gateways;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Model;

/// <summary>What the host knows: registered topics, form keys and the process ids a call activity may start.</summary>
public sealed record ValidationContext(Func<string, bool> IsKnownTopic, Func<string, bool> IsKnownFormKey, Func<string, bool> IsKnownProcess);

/// <summary>The checks run at publish; every problem names the element and says what to do.</summary>
public static class ProcessValidator
{
    /// <summary>
    /// Problems the parser has not reported already. A problem caused by another reported one is not reported again:
    /// nothing past a reported element is called unreachable, and a process without a start event gets no unreachable
    /// reports at all. A non-executable process gets only the parser's document-level message.
    /// </summary>
    /// <summary>The host's <see cref="IProcessRule"/>s on an executable process (a process that is never run is not their concern).</summary>
    public static IEnumerable<ValidationProblem> CheckRules(ProcessModel model, IEnumerable<IProcessRule> rules) =>
        model.IsExecutable ? rules.SelectMany(rule => rule.Check(model)) : [];

    public static IReadOnlyList<ValidationProblem> Validate(ProcessModel model, ValidationContext context)
    {
        var problems = new List<ValidationProblem>();
        if (!model.IsExecutable) return problems;

        foreach (var unsupported in model.DocumentOrder.OfType<UnsupportedNode>())
            problems.Add(new(unsupported.Id, unsupported.Reason));

        var starts = model.StartEvents.ToList();
        var unsupportedStarts = model.DocumentOrder.OfType<UnsupportedNode>().Where(n => n.ElementType == "startEvent").ToList();
        if (starts.Count == 0 && unsupportedStarts.Count == 0)
            problems.Add(new(model.ProcessId, "The process has no start event; add a none, message or timer start event."));
        foreach (var subProcess in model.DocumentOrder.OfType<SubProcess>())
        {
            var inner = model.DocumentOrder.Where(n => n.ScopeId == subProcess.Id).ToList();
            if (inner.OfType<StartEvent>().FirstOrDefault(s => !s.IsNone) is { } eventStart)
                problems.Add(new(eventStart.Id, eventStart.Timer is null
                    ? $"The sub-process '{subProcess.Id}' has a message start event; an embedded sub-process starts with one none start event (put a message catch event after it)."
                    : $"The sub-process '{subProcess.Id}' has a timer start event; an embedded sub-process starts with one none start event (put a timer catch event after it)."));
            else if (model.StartOf(subProcess) is null && !inner.Any(n => n is UnsupportedNode { ElementType: "startEvent" }))
                problems.Add(new(subProcess.Id, $"The sub-process '{subProcess.Id}' needs exactly one none start event inside it; it has {inner.OfType<StartEvent>().Count()}."));
        }
        foreach (var eventSubProcess in model.DocumentOrder.OfType<EventSubProcess>())
        {
            var inner = model.DocumentOrder.Where(n => n.ScopeId == eventSubProcess.Id).ToList();
            if (eventSubProcess.ScopeId is not null)
                problems.Add(new(eventSubProcess.Id, $"Event sub-processes run at the process level only; move '{eventSubProcess.Id}' out of '{eventSubProcess.ScopeId}', "
                    + "or attach a timer boundary event to that sub-process instead."));
            else if (model.EventStartOf(eventSubProcess) is null && !inner.Any(n => n is UnsupportedNode { ElementType: "startEvent" }))
                problems.Add(new(eventSubProcess.Id, $"The event sub-process '{eventSubProcess.Id}' needs exactly one start event inside it, with a timer or a message "
                    + $"(it has {inner.OfType<StartEvent>().Count()}, {inner.OfType<StartEvent>().Count(s => s.IsNone)} of them none start events)."));
            if (eventSubProcess.Incoming.Count > 0 || eventSubProcess.Outgoing.Count > 0)
                problems.Add(new(eventSubProcess.Id, "An event sub-process has no sequence flows in or out: its own start event starts it. Remove the flows."));
            if (eventSubProcess.Boundaries.Count + eventSubProcess.ErrorBoundaries.Count > 0)
                problems.Add(new(eventSubProcess.Id, "An event sub-process cannot carry boundary events; put the events inside it."));
        }
        if (starts.Count(s => s.IsNone) > 1)
            problems.Add(new(starts.Last(s => s.IsNone).Id, "Only one none start event is allowed; make the others message or timer start events."));

        foreach (var node in model.DocumentOrder)
        {
            // Camunda 7 takes such a flow as true, and so does the engine (FlowContext.IsTrue): legal, but rarely what was meant.
            if (node is ExclusiveGateway or InclusiveGateway && node.Outgoing.Count > 1)
                foreach (var flow in node.Outgoing.Where(f => f.Condition is null && f.Id != node.DefaultFlowId))
                    problems.Add(ValidationProblem.Warning(flow.Id, $"This flow leaves gateway '{node.Id}' without a condition and is not its default flow; "
                        + (node is ExclusiveGateway
                            ? "like Camunda 7, the engine takes it as true, so the gateway takes it whenever no flow before it (in document order) is true."
                            : "like Camunda 7, the engine takes it as true, so the gateway always takes it.")
                        + " Add a condition or mark it as the default flow if that is not what you meant."));
            if (node.DefaultFlowId is { } defaultId && node.Outgoing.All(f => f.Id != defaultId))
                problems.Add(new(node.Id, $"The default flow '{defaultId}' is not an outgoing flow of this element."));

            var scripts = node.Scripts;
            if (node is ActivityNode { Loop: { } loop }) scripts = scripts.Concat(loop.Scripts);
            if (node is ActivityNode { Io: { } io }) scripts = scripts.Concat(io.Scripts);
            if (node is CallActivity { Mappings: { } mappings }) scripts = scripts.Concat(mappings.Scripts);
            foreach (var script in scripts)
                if (ScriptEvaluator.SyntaxError(script) is { } error)
                    problems.Add(new(node.Id, $"The expression '${{{script}}}' is not valid JavaScript ({error}); expressions are JavaScript, e.g. ${{assignee}} or ${{dueInHours > 4 ? 'PT4H' : 'P1D'}}."));

            switch (node)
            {
                case EventBasedGateway gateway:
                    if (gateway.Outgoing.Count < 2)
                        problems.Add(new(node.Id, "An event-based gateway needs at least two outgoing flows, each to a timer or message catch event."));
                    foreach (var flow in gateway.Outgoing)
                    {
                        if (flow.Target is not (TimerCatchEvent or MessageCatchEvent))
                            problems.Add(new(flow.Id, $"This flow leads from event-based gateway '{node.Id}' to '{flow.TargetId}', a {flow.Target.ElementType}; "
                                + "an event-based gateway may only lead to timer or message intermediate catch events (use an exclusive gateway to choose by data)."));
                        else if (flow.Target.Incoming.Count > 1)
                            problems.Add(new(flow.TargetId, $"The event '{flow.TargetId}' after event-based gateway '{node.Id}' has other incoming flows; give it only the gateway's."));
                        if (flow.Condition is not null)
                            problems.Add(new(flow.Id, $"A flow leaving event-based gateway '{node.Id}' cannot have a condition; the event that arrives first decides."));
                    }
                    break;
                case ServiceTask task when !context.IsKnownTopic(task.Topic):
                    problems.Add(new(node.Id, $"No handler is registered for topic '{task.Topic}'; register one with AddWorkflowTopicHandler or fix the topic."));
                    break;
                case MessageThrowEvent message when !context.IsKnownTopic(message.Topic):
                    problems.Add(new(node.Id, $"No handler is registered for topic '{message.Topic}'; register one with AddWorkflowTopicHandler or fix the topic."));
                    break;
                case UserTask { FormKey: { } formKey } when !context.IsKnownFormKey(formKey):
                    problems.Add(new(node.Id, $"The form key '{formKey}' is unknown to the portal; use a registered form key or a generated form (camunda:formData)."));
                    break;
                case UserTask { DueDate: { } due } when ExpressionText.Body(due) is null && !TimerSpec.TryDuration(due, out _) && !TimerSpec.TryDate(due, out _):
                    problems.Add(new(node.Id, $"The due date '{due}' is neither an ISO 8601 duration (PT4H) nor a date."));
                    break;
                case CallActivity call when call.CalledElement != model.ProcessId && !context.IsKnownProcess(call.CalledElement):
                    problems.Add(new(node.Id, $"The called process '{call.CalledElement}' is not published; publish it first or fix calledElement."));
                    break;
                case TimerCatchEvent { Timer.Problem: { } timerProblem }:
                    problems.Add(new(node.Id, timerProblem));
                    break;
                case BoundaryTimerEvent { Timer.Problem: { } boundaryProblem }:
                    problems.Add(new(node.Id, boundaryProblem));
                    break;
                case StartEvent { Timer: { Expression: not null }, ScopeId: null }:
                    problems.Add(new(node.Id, "A timer start event's timer cannot be an expression (no instance, so no variables, exists yet); write a date (2026-12-01T09:00:00Z), a duration (PT1H) or a cycle (R/P1D)."));
                    break;
                case StartEvent { Timer.Problem: { } startProblem }:
                    problems.Add(new(node.Id, startProblem));
                    break;
            }
        }

        // Conditions were translated and checked by the parser (ConditionTranslator): a flow's condition is valid JavaScript here.

        if (starts.Count > 0 || unsupportedStarts.Count > 0)
        {
            var reported = problems.Where(p => p.IsError).Select(p => p.ElementId).Concat(model.ReachedDespiteProblems).ToHashSet();
            var reached = Reachable(model, model.DocumentOrder.Where(n => n is StartEvent or EventSubProcess || reported.Contains(n.Id)));
            foreach (var node in model.DocumentOrder.Where(n => !reached.Contains(n.Id)))
                problems.Add(new(node.Id, "This element cannot be reached from a start event; connect it with a sequence flow or delete it."));
        }

        if (FindLoopWithoutWait(model) is { } loopNode)
            problems.Add(new(loopNode, "A path through this element loops back without reaching a wait state (task, call activity, timer or message); add one to the loop or break it."));

        return problems;
    }

    private static HashSet<string> Reachable(ProcessModel model, IEnumerable<FlowNode> starts)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<FlowNode>(starts);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node.Id)) continue;
            foreach (var next in model.Successors(node)) stack.Push(next);
        }
        return seen;
    }

    // Iterative colouring DFS over the nodes that do not wait: a back edge is a loop that can spin.
    private static string? FindLoopWithoutWait(ProcessModel model)
    {
        var colour = new Dictionary<string, int>();
        foreach (var root in model.DocumentOrder.Where(n => !n.IsWaitState && n is not UnsupportedNode))
        {
            if (colour.ContainsKey(root.Id)) continue;
            var stack = new Stack<(FlowNode Node, IEnumerator<FlowNode> Next)>();
            colour[root.Id] = 1;
            stack.Push((root, NonWaitingSuccessors(root).GetEnumerator()));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Peek();
                if (!next.MoveNext())
                {
                    colour[node.Id] = 2;
                    stack.Pop();
                    continue;
                }
                var child = next.Current;
                switch (colour.GetValueOrDefault(child.Id))
                {
                    case 1: return child.Id;
                    case 0:
                        colour[child.Id] = 1;
                        stack.Push((child, NonWaitingSuccessors(child).GetEnumerator()));
                        break;
                }
            }
        }
        return null;
    }

    private static IEnumerable<FlowNode> NonWaitingSuccessors(FlowNode node) =>
        node.Outgoing.Select(f => f.Target).Where(t => !t.IsWaitState && t is not UnsupportedNode);
}
