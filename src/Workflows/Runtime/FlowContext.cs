using System.Text.Json.Nodes;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>What an element may do with the token that reached it. Token movement and joins live here and in <see cref="CommandSession"/>.</summary>
internal sealed class FlowContext(CommandSession session, InstanceRun run, Token token, FlowNode node, JsonObject? changedVariables)
{
    public Token Token => token;
    public FlowNode Node => node;
    public CommandSession Session => session;
    public InstanceRun Run => run;
    private DateTime Now => session.Now;

    /// <summary>The same element and change, for another token (a multi-instance body starting its next instance).</summary>
    public FlowContext ForToken(Token other) => new(session, run, other, node, changedVariables);

    /// <summary>What expressions at this token see: process variables and the locals of the scopes it runs in.</summary>
    public JsonObject Scope => run.State.View(token);

    /// <summary>True for one instance of a multi-instance activity (its parent is the body waiting at the same element).</summary>
    public bool IsLoopInstance => run.State.IsLoopInstance(token);

    public void Journal(string detail) => session.Journal(run, node.Id, JournalKind.Completed, detail: detail);

    /// <summary>Evaluates <paramref name="script"/> at this token to a JSON value (null for null or undefined).</summary>
    public JsonNode? Evaluate(string script) => session.Scripts.AsJson(script, Scope);

    /// <summary>Evaluates the activity's input parameters and makes them this token's local variables.</summary>
    public void ApplyInputs(Elements.InputOutput io)
    {
        if (io.Inputs.Count == 0) return;
        var values = Elements.VariableMapping.Evaluate(io.Inputs, session.Scripts, Scope);
        token.Locals ??= [];
        Runtime.Variables.Merge(token.Locals, values);
    }

    /// <summary>Starts instance <paramref name="index"/> of the multi-instance body this context's token is.</summary>
    public void StartLoopInstance(int index, JsonNode? item, string? elementVariable)
    {
        var instance = session.NewToken(run, node.Id, token.Id);
        instance.Locals = new JsonObject { [Elements.MultiInstanceLoop.Counter] = index };
        if (elementVariable is not null) instance.Locals[elementVariable] = item?.DeepClone();
        run.Queue.Enqueue(instance);
    }

    /// <summary>Starts a token at <paramref name="start"/> inside the sub-process this context's token waits at.</summary>
    public void StartScope(FlowNode start)
    {
        run.Queue.Enqueue(session.NewToken(run, start.Id, token.Id));
    }

    /// <summary>This token's path ends here with <paramref name="output"/> journaled (a multi-instance instance that completed).</summary>
    public void End(JsonObject? output, string detail)
    {
        session.Journal(run, node.Id, JournalKind.Completed, output, detail);
        run.State.Tokens.Remove(token);
    }

    public void Wait() => token.Status = TokenStatus.Waiting;

    /// <summary>The token has finished its path.</summary>
    public void End()
    {
        session.Journal(run, node.Id, JournalKind.Completed, changedVariables);
        run.State.Tokens.Remove(token);
    }

    /// <summary>Moves the token along <paramref name="flows"/>: the first flow keeps the token, every other one gets a new token.</summary>
    public void Take(IReadOnlyList<SequenceFlow> flows)
    {
        if (flows.Count == 0)
        {
            End();
            return;
        }
        session.Journal(run, node.Id, JournalKind.Completed, changedVariables);
        for (var i = 0; i < flows.Count; i++)
        {
            var moving = i == 0 ? token : session.NewToken(run, flows[i].TargetId, token.ParentId);
            moving.ElementId = flows[i].TargetId;
            moving.ArrivedVia = flows[i].Id;
            moving.Status = TokenStatus.Active;
            run.Queue.Enqueue(moving);
        }
    }

    /// <summary>Sets <paramref name="output"/> (as a completed wait would) and leaves by conditions; the journal's Completed row carries it.</summary>
    public void LeaveWith(JsonObject? output)
    {
        run.State.Set(token, output);
        new FlowContext(session, run, token, node, output).LeaveByConditions();
    }

    /// <summary>Leaves an activity or event: unconditional flows and flows whose condition is true, else the default flow.</summary>
    public void LeaveByConditions()
    {
        if (node.Outgoing.Count == 0)
        {
            End();
            return;
        }
        var chosen = node.Outgoing.Where(f => f.Id != node.DefaultFlowId && (f.Condition is null || IsTrue(f))).ToList();
        if (chosen.Count == 0 && node.Outgoing.FirstOrDefault(f => f.Id == node.DefaultFlowId) is { } fallback) chosen.Add(fallback);
        if (chosen.Count == 0) throw new ElementFailedException($"No outgoing flow of '{node.Id}' has a true condition and there is no default flow.");
        Take(chosen);
    }

    public bool IsTrue(SequenceFlow flow) =>
        flow.Condition is null || session.Scripts.IsTrue(flow.Condition, Scope);

    /// <summary>Parallel join: true when a token has arrived on every incoming flow; the others are consumed and this one goes on.</summary>
    public bool JoinAll()
    {
        token.Status = TokenStatus.Joining;
        var waiting = run.State.Tokens.Where(t => t.ElementId == node.Id && t.Status == TokenStatus.Joining && t != token && t.ParentId == token.ParentId).ToList();
        var consumed = new List<Token>();
        foreach (var flow in node.Incoming.Where(f => f.Id != token.ArrivedVia))
        {
            var arrived = waiting.FirstOrDefault(t => t.ArrivedVia == flow.Id);
            if (arrived is null) return false;
            consumed.Add(arrived);
        }
        foreach (var t in consumed) run.State.Tokens.Remove(t);
        token.Status = TokenStatus.Active;
        return true;
    }

    /// <summary>Inclusive join: true when no other token can still reach this gateway.</summary>
    public bool JoinReachable()
    {
        token.Status = TokenStatus.Joining;
        return session.TryJoinInclusive(run, node, token);
    }

    public void CreateWorkItem(UserTask task)
    {
        var assignee = Text(task.Assignee);
        var due = Text(task.DueDate);
        DateTime? dueAt = due is null ? null
            : TimerSpec.TryDuration(due, out var duration) ? Now + duration
            : TimerSpec.TryDate(due, out var date) ? date
            : throw new ElementFailedException($"The due date '{due}' of '{task.Id}' is neither an ISO 8601 duration nor a date.");
        session.Db.Add(new WorkItem
        {
            Id = Guid.CreateVersion7(),
            InstanceId = run.Entity.Id,
            TokenId = token.Id,
            ElementId = task.Id,
            Name = task.Name,
            FormKey = task.FormKey,
            FormFieldsJson = task.FormFields.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(task.FormFields),
            Assignee = string.IsNullOrWhiteSpace(assignee) ? null : assignee,
            CandidateRoles = Candidates(task.CandidateGroups),
            CandidateUsers = Candidates(task.CandidateUsers),
            DueAt = dueAt,
            Status = WorkItemStatus.Open,
            CreatedAt = Now,
            BusinessKey = run.Entity.BusinessKey,
        });
    }

    // A group may be ${…} (e.g. the role of the current approval level), evaluated when the task is created; it may give several roles, comma-separated.
    // Candidate users likewise (ids or sign-in names).
    private string Candidates(IReadOnlyList<string> groupsOrUsers)
    {
        var names = groupsOrUsers.SelectMany(g => (Text(g) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return names.Count == 0 ? "" : "|" + string.Join('|', names) + "|";
    }

    /// <summary>Arms the activity's boundary timers on this token; a multi-instance activity's boundaries belong to its body, not to each instance.</summary>
    public void ArmBoundaries(ActivityNode activity)
    {
        if (activity.Boundaries.Count == 0 || IsLoopInstance) return;
        foreach (var boundary in activity.Boundaries)
        {
            var timer = Resolve(boundary.Id, boundary.Timer);
            session.AddTimer(run, token.Id, boundary.Id, timer.FirstDue(Now), timer.Repetition());
        }
    }

    public void CreateTimer(string elementId, TimerSpec timer) =>
        session.AddTimer(run, token.Id, elementId, Resolve(elementId, timer).FirstDue(Now), (0, null));

    // A ${…} timer (e.g. an SLA passed in as a process variable) is evaluated when armed; a bad value is an incident.
    private TimerSpec Resolve(string elementId, TimerSpec timer)
    {
        if (timer.Expression is null) return timer;
        var resolved = timer with { Text = Text(timer.Text) ?? "" };
        return resolved.Problem is { } problem
            ? throw new ElementFailedException($"Timer '{elementId}': {timer.Text} gave {problem}")
            : resolved;
    }

    /// <param name="elementId">The catch event the message leads to, when it is not this element (an event-based gateway's events).</param>
    public void Subscribe(string messageName, string? elementId = null) => session.Db.Add(new MessageSubscription
    {
        Id = Guid.CreateVersion7(),
        InstanceId = run.Entity.Id,
        TokenId = token.Id,
        ElementId = elementId ?? node.Id,
        MessageName = messageName,
        CorrelationKey = run.Entity.CorrelationKey ?? run.Entity.BusinessKey,
        CreatedAt = Now,
    });

    public void WriteOutbox(string topic)
    {
        var visit = run.State.Visits[node.Id] = run.State.Visits.GetValueOrDefault(node.Id) + 1;
        session.AddOutbox(new OutboxEntry
        {
            Id = Guid.CreateVersion7(),
            InstanceId = run.Entity.Id,
            TokenId = token.Id,
            ElementId = node.Id,
            Topic = topic,
            IdempotencyKey = $"{run.Entity.Id:N}:{node.Id}:{token.Id}:{visit}",
            PayloadJson = Scope.ToJsonString(),
            Status = OutboxStatus.Pending,
            NextAttemptAt = Now,
            CreatedAt = Now,
        });
    }

    public Task StartChildAsync(string processId) => session.StartChildAsync(run, token, processId);

    public Task TerminateAsync() => session.TerminateAsync(run, token, node);

    /// <summary>Throws a business error from this token; false when no error boundary event catches it.</summary>
    public Task<bool> ThrowErrorAsync(string code, string? message) => session.ThrowErrorAsync(run, token, code, message, default);

    private string? Text(string? literalOrExpression) =>
        ExpressionText.Body(literalOrExpression) is { } script ? session.Scripts.AsText(script, Scope)
        : literalOrExpression is not null && literalOrExpression.Contains("${", StringComparison.Ordinal)
            ? ExpressionText.Fill(literalOrExpression, part => session.Scripts.AsText(part, Scope))
            : literalOrExpression;
}
