using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Elements.Gateways;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>An instance loaded into a command: its row, model, state and the tokens still to move.</summary>
internal sealed class InstanceRun(WorkflowInstance entity, ProcessModel model, InstanceState state)
{
    public WorkflowInstance Entity { get; } = entity;
    public ProcessModel Model { get; } = model;
    public InstanceState State { get; } = state;
    public Queue<Token> Queue { get; } = new();
    public bool Changed { get; set; }
}

/// <summary>
/// One engine command: loads what it needs into one DbContext, moves tokens until every one waits,
/// and commits everything in one transaction guarded by the instances' row versions.
/// </summary>
internal sealed class CommandSession : IAsyncDisposable
{
    private readonly EngineServices services;
    private readonly EngineContext context;
    private readonly Dictionary<Guid, InstanceRun> runs = [];
    private readonly List<WorkflowTimer> newTimers = [];
    private readonly List<OutboxEntry> outboxToSchedule = [];
    private int steps;

    private CommandSession(EngineServices services, EngineContext context, string? userId)
    {
        this.services = services;
        this.context = context;
        UserId = userId;
        Now = services.Clock.GetUtcNow().UtcDateTime;
    }

    /// <summary>The command's context; its connection stays open for all of the command's reads (<see cref="EngineContext"/>).</summary>
    public DbContext Db => context.Db;
    public DateTime Now { get; }
    public ScriptEvaluator Scripts => services.Scripts;
    public string? UserId { get; }

    public ValueTask DisposeAsync() => context.DisposeAsync();

    public static async Task<CommandSession> OpenAsync(EngineServices services, string? userId) =>
        new(services, await EngineContext.OpenAsync(services.DbFactory), userId);

    public async Task<InstanceRun?> LoadAsync(Guid instanceId, CancellationToken ct)
    {
        if (runs.TryGetValue(instanceId, out var loaded)) return loaded;
        var entity = await HotQueries.Instance(Db, instanceId, ct);
        return entity is null ? null : await AdoptAsync(entity, ct);
    }

    /// <summary>Takes an instance row this session's context has just read (and tracks) into the command.</summary>
    public async Task<InstanceRun> AdoptAsync(WorkflowInstance entity, CancellationToken ct)
    {
        if (runs.TryGetValue(entity.Id, out var loaded)) return loaded;
        var model = await services.Definitions.ModelAsync(Db, entity.DefinitionId, ct);
        var run = new InstanceRun(entity, model, InstanceState.Parse(entity.StateJson));
        runs[entity.Id] = run;
        return run;
    }

    public InstanceRun CreateInstance(WorkflowDefinition definition, ProcessModel model, StartEvent start, string? businessKey, string? correlationKey, JsonObject variables, (Guid Id, string TokenId)? parent)
    {
        var entity = new WorkflowInstance
        {
            Id = Guid.CreateVersion7(),
            DefinitionId = definition.Id,
            ProcessId = definition.ProcessId,
            DefinitionVersion = definition.Version,
            Status = InstanceStatus.Running,
            BusinessKey = businessKey,
            CorrelationKey = correlationKey,
            ParentInstanceId = parent?.Id,
            ParentTokenId = parent?.TokenId,
            CreatedAt = Now,
        };
        Db.Add(entity);
        var run = new InstanceRun(entity, model, new InstanceState { Variables = variables }) { Changed = true };
        runs[entity.Id] = run;
        Journal(run, null, JournalKind.InstanceStarted, variables.Count > 0 ? variables : null);
        var token = NewToken(run, start.Id);
        run.Queue.Enqueue(token);
        foreach (var eventSubProcess in model.EventSubProcesses) ArmEventSubProcess(run, eventSubProcess.Start(model));
        return run;
    }

    /// <summary>An event sub-process's trigger for the instance: a timer row or a message subscription with no token (the
    /// instance is its scope). A <c>${…}</c> timer is evaluated over the variables the instance starts with.</summary>
    public void ArmEventSubProcess(InstanceRun run, StartEvent start, DateTime? after = null)
    {
        if (start.Timer is { } timer)
        {
            var resolved = timer.Expression is { } script ? timer with { Text = Scripts.AsText(script, run.State.Variables) ?? "" } : timer;
            if (resolved.Problem is { } problem)
            {
                RaiseIncident(run, null, start.Id, $"Timer '{start.Id}': {timer.Text} gave {problem}");
                return;
            }
            AddTimer(run, EventSubProcessTrigger, start.Id, resolved.FirstDue(after ?? Now), start.Interrupting ? (0, null) : resolved.Repetition());
        }
        else if (start.MessageName is { } message)
            Db.Add(new MessageSubscription
            {
                Id = Guid.CreateVersion7(),
                InstanceId = run.Entity.Id,
                TokenId = EventSubProcessTrigger,
                ElementId = start.Id,
                MessageName = message,
                CorrelationKey = run.Entity.CorrelationKey ?? run.Entity.BusinessKey,
                CreatedAt = Now,
            });
    }

    /// <summary>The token id of an event sub-process's trigger (a timer row or subscription of the instance itself).</summary>
    public const string EventSubProcessTrigger = "";

    /// <summary>
    /// An event sub-process's start fired (<paramref name="trigger"/>: its timer row, or null for a message). Interrupting:
    /// everything else in the instance is cancelled, with the other triggers. Non-interrupting: a timer cycle arms its next
    /// occurrence (a message subscription stays). Then the event sub-process runs as a scope, with <paramref name="output"/>
    /// (a message's variables) set on the process.
    /// </summary>
    public async Task TriggerEventSubProcessAsync(InstanceRun run, EventSubProcess eventSubProcess, StartEvent start, WorkflowTimer? trigger, JsonObject? output, CancellationToken ct)
    {
        run.Changed = true;
        if (start.Interrupting)
        {
            foreach (var token in run.State.Tokens.Where(t => t.ParentId is null).ToList())
                await CancelTokenAsync(run, token, $"Interrupted by event sub-process '{eventSubProcess.Id}'.", ct);
            await WithdrawEventSubProcessTriggersAsync(run, ct);
        }
        else if (trigger is { RemainingRepeats: not 0, RepeatInterval: { } interval } && TimerSpec.TryDuration(interval, out var every))
            AddTimer(run, EventSubProcessTrigger, start.Id, trigger.DueAt + every, (trigger.RemainingRepeats < 0 ? -1 : trigger.RemainingRepeats - 1, interval));
        if (output is { Count: > 0 }) run.State.Set(null, output);
        Journal(run, start.Id, JournalKind.Completed, output, start.Interrupting ? "Triggered; the rest of the instance was interrupted." : "Triggered.");
        run.Queue.Enqueue(NewToken(run, eventSubProcess.Id));
    }

    /// <summary>The instance ends (or an interrupting event sub-process started): its event sub-processes' triggers go.</summary>
    private async Task WithdrawEventSubProcessTriggersAsync(InstanceRun run, CancellationToken ct)
    {
        if (run.Model.EventSubProcesses.Count == 0) return;
        var id = run.Entity.Id;
        foreach (var timer in await FindAsync<WorkflowTimer>(t => t.InstanceId == id && t.TokenId == EventSubProcessTrigger && t.Status == TimerStatus.Scheduled, ct))
            timer.Status = TimerStatus.Cancelled;
        foreach (var subscription in await FindAsync<MessageSubscription>(s => s.InstanceId == id && s.TokenId == EventSubProcessTrigger, ct))
            Db.Remove(subscription);
    }

    /// <param name="parentId">The scope the token runs in (the sub-process or multi-instance body's token); null at the process level.</param>
    public Token NewToken(InstanceRun run, string elementId, string? parentId = null)
    {
        var token = new Token { Id = Guid.NewGuid().ToString("N")[..12], ElementId = elementId, Status = TokenStatus.Active, ParentId = parentId };
        run.State.Tokens.Add(token);
        run.Changed = true;
        return token;
    }

    public void Journal(InstanceRun run, string? elementId, JournalKind kind, JsonObject? variables = null, string? detail = null)
    {
        run.Changed = true;
        Db.Add(new JournalEntry
        {
            InstanceId = run.Entity.Id,
            ElementId = elementId,
            Kind = kind,
            UserId = UserId,
            At = Now,
            VariablesJson = variables is { Count: > 0 } ? variables.ToJsonString() : null,
            Detail = detail is { Length: > 2000 } ? detail[..2000] : detail,
        });
    }

    /// <summary>The next due time of a timer start event (<see cref="StartTimers"/>); woken after the commit like any timer.</summary>
    public void AddStartTimer(WorkflowTimer timer)
    {
        Db.Add(timer);
        newTimers.Add(timer);
    }

    public void AddTimer(InstanceRun run, string tokenId, string elementId, DateTime dueAt, (int Remaining, string? Interval) repeat)
    {
        var timer = new WorkflowTimer
        {
            Id = Guid.CreateVersion7(),
            InstanceId = run.Entity.Id,
            TokenId = tokenId,
            ElementId = elementId,
            DueAt = dueAt,
            RepeatInterval = repeat.Interval,
            RemainingRepeats = repeat.Remaining,
            Status = TimerStatus.Scheduled,
        };
        Db.Add(timer);
        newTimers.Add(timer);
    }

    /// <summary>Sets a timer (waiting or fired) to go off at <paramref name="dueAt"/>; its alarm is set after the commit.</summary>
    public void Rearm(WorkflowTimer timer, DateTime dueAt)
    {
        timer.DueAt = dueAt;
        timer.Status = TimerStatus.Scheduled;
        timer.JobId = null;
        newTimers.Add(timer);
    }

    public void AddOutbox(OutboxEntry entry)
    {
        Db.Add(entry);
        outboxToSchedule.Add(entry);
    }

    public void ScheduleOutbox(OutboxEntry entry) => outboxToSchedule.Add(entry);

    public void RaiseIncident(InstanceRun run, Token? token, string elementId, string message, IncidentKind kind = IncidentKind.ElementFailed, Guid? outboxEntryId = null)
    {
        if (token is not null) token.Status = TokenStatus.Incident;
        run.Entity.OpenIncidents++;
        Db.Add(new Incident
        {
            Id = Guid.CreateVersion7(),
            InstanceId = run.Entity.Id,
            ElementId = elementId,
            TokenId = token?.Id,
            OutboxEntryId = outboxEntryId,
            Kind = kind,
            Message = message.Length > 2000 ? message[..2000] : message,
            CreatedAt = Now,
        });
        Journal(run, elementId, JournalKind.Failed, detail: message);
        services.Logger.LogWarning("Incident on instance {InstanceId} at {ElementId}: {Message}", run.Entity.Id, elementId, message);
    }

    /// <summary>The wait at the token's element is over: merge the output and leave the element.</summary>
    public async Task ResumeAsync(InstanceRun run, Token token, JsonObject? output, CancellationToken ct)
    {
        run.State.Set(token, output);
        run.Changed = true;
        token.Status = TokenStatus.Active;
        var node = run.Model.Nodes[token.ElementId];
        var context = new FlowContext(this, run, token, node, output);
        try
        {
            // Output parameters, per instance of a multi-instance activity (not again for its body); then the inputs' locals end.
            if (node is ActivityNode { Io: { } io } && (node is not ActivityNode { Loop: not null } || context.IsLoopInstance))
            {
                if (io.Outputs.Count > 0)
                    SetAbove(run, token, Elements.VariableMapping.Evaluate(io.Outputs, Scripts, run.State.View(token)));
                if (!context.IsLoopInstance) token.Locals = null;
            }
            if (node is ActivityNode { Loop: { } loop } && context.IsLoopInstance)
            {
                await loop.InstanceCompletedAsync(context, run.State.Find(token.ParentId)!, output);
                return;
            }
            if (node is ActivityNode { Boundaries.Count: > 0 })
                foreach (var timer in await FindAsync<WorkflowTimer>(t => t.TokenId == token.Id && t.InstanceId == run.Entity.Id && t.Status == TimerStatus.Scheduled, ct))
                    timer.Status = TimerStatus.Cancelled;
            node.Leave(context);
        }
        catch (ElementFailedException e)
        {
            RaiseIncident(run, token, node.Id, e.Message);
        }
    }

    /// <summary>
    /// One of the events an event-based gateway waits for has arrived (<paramref name="eventId"/>): the gateway's other bookmarks
    /// are withdrawn and the token passes through that event with <paramref name="output"/>.
    /// </summary>
    public async Task PassEventGatewayAsync(InstanceRun run, Token token, string eventId, JsonObject? output, CancellationToken ct)
    {
        var gateway = run.Model.Nodes[token.ElementId];
        await CancelBookmarksAsync(run, token, ct);
        Journal(run, gateway.Id, JournalKind.Completed, detail: $"'{eventId}' came first.");
        token.ElementId = eventId;
        token.ArrivedVia = gateway.Outgoing.First(f => f.TargetId == eventId).Id;
        Journal(run, eventId, JournalKind.Entered);
        await ResumeAsync(run, token, output, ct);
    }

    // Sets variables in the scope around the token (its parent's, else the process).
    private static void SetAbove(InstanceRun run, Token token, JsonObject values) => run.State.Set(run.State.Find(token.ParentId), values);

    /// <summary>Runs every loaded instance until no token can move, firing inclusive joins and ending finished instances (which resumes their parents).</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        bool progressed;
        do
        {
            progressed = false;
            foreach (var run in runs.Values.ToList())
            {
                while (run.Queue.TryDequeue(out var token))
                {
                    progressed = true;
                    if (!run.State.Tokens.Contains(token) || token.Status != TokenStatus.Active) continue;
                    if (++steps > services.Options.MaxStepsPerCommand)
                    {
                        RaiseIncident(run, token, token.ElementId, $"The command took more than {services.Options.MaxStepsPerCommand} steps without reaching a wait state; check for a loop without a task, timer or message.");
                        continue;
                    }
                    var node = run.Model.Nodes[token.ElementId];
                    Journal(run, node.Id, JournalKind.Entered);
                    var context = new FlowContext(this, run, token, node, null);
                    try
                    {
                        if (node is ActivityNode { Loop: { } loop } && !context.IsLoopInstance) loop.Enter(context);
                        else
                        {
                            if (node is ActivityNode { Io: { } io }) context.ApplyInputs(io);
                            await node.EnterAsync(context);
                        }
                    }
                    catch (ElementFailedException e)
                    {
                        RaiseIncident(run, token, node.Id, e.Message);
                    }
                }
                if (FireInclusiveJoins(run)) progressed = true;
                if (run.Model.HasSubProcesses && await CompleteScopesAsync(run, ct)) progressed = true;
                if (run.Entity.Status == InstanceStatus.Running && run.State.Tokens.Count == 0)
                {
                    await CompleteInstanceAsync(run, ct);
                    progressed = true;
                }
            }
        } while (progressed);
    }

    public bool TryJoinInclusive(InstanceRun run, FlowNode gateway, Token arriving)
    {
        // Only tokens of the same scope (a sub-process instance, or the process) can still arrive at this gateway.
        bool Joined(Token t) => t.ElementId == gateway.Id && t.Status == TokenStatus.Joining && t.ParentId == arriving.ParentId;
        var others = run.State.Tokens.Where(t => !Joined(t) && run.State.IsWithin(t, arriving.ParentId));
        if (others.Any(t => run.Model.CanReach(t.ElementId, gateway.Id))) return false;
        foreach (var t in run.State.Tokens.Where(t => Joined(t) && t != arriving).ToList())
            run.State.Tokens.Remove(t);
        arriving.Status = TokenStatus.Active;
        return true;
    }

    // A token that went elsewhere (or ended) can make a waiting inclusive join ready.
    private bool FireInclusiveJoins(InstanceRun run)
    {
        var fired = false;
        foreach (var (gatewayId, scopeId) in run.State.Tokens.Where(t => t.Status == TokenStatus.Joining).Select(t => (t.ElementId, t.ParentId)).Distinct().ToList())
        {
            if (run.Model.Nodes[gatewayId] is not InclusiveGateway gateway) continue;
            var token = run.State.Tokens.First(t => t.ElementId == gatewayId && t.Status == TokenStatus.Joining && t.ParentId == scopeId);
            if (!TryJoinInclusive(run, gateway, token)) continue;
            try
            {
                gateway.Fork(new FlowContext(this, run, token, gateway, null));
            }
            catch (ElementFailedException e)
            {
                RaiseIncident(run, token, gateway.Id, e.Message);
            }
            fired = true;
        }
        return fired;
    }

    // A sub-process (or one instance of a multi-instance sub-process) with no token left inside is complete and moves on.
    private async Task<bool> CompleteScopesAsync(InstanceRun run, CancellationToken ct)
    {
        var done = run.State.Tokens
            .Where(t => t is { Status: TokenStatus.Waiting, Loop: null } && run.Model.Nodes[t.ElementId] is SubProcess or EventSubProcess && !run.State.Children(t).Any())
            .ToList();
        foreach (var scope in done)
            if (run.State.Tokens.Contains(scope))
                await ResumeAsync(run, scope, null, ct);
        return done.Count > 0;
    }

    private async Task CompleteInstanceAsync(InstanceRun run, CancellationToken ct)
    {
        await WithdrawEventSubProcessTriggersAsync(run, ct);
        run.Entity.Status = InstanceStatus.Completed;
        run.Entity.EndedAt = Now;
        Journal(run, null, JournalKind.InstanceCompleted);
        if (run.Entity.ParentInstanceId is not { } parentId) return;
        var parent = await LoadAsync(parentId, ct);
        var waiting = parent?.State.Tokens.FirstOrDefault(t => t.Id == run.Entity.ParentTokenId && t.Status == TokenStatus.Waiting);
        if (parent is null || waiting is null || parent.Entity.Status != InstanceStatus.Running) return;
        var output = run.State.Variables.DeepClone().AsObject();
        if (parent.Model.Nodes[waiting.ElementId] is CallActivity { Mappings: { Out.Count: > 0 } mappings })
            output = Elements.CallMappings.Apply(mappings.Out, mappings.OutAll, Scripts, output);
        await ResumeAsync(parent, waiting, output, ct);
    }

    public async Task StartChildAsync(InstanceRun parent, Token token, string processId)
    {
        var latest = await services.Definitions.LatestAsync(Db, processId, default)
            ?? throw new ElementFailedException($"Call activity '{token.ElementId}': process '{processId}' has no published version.");
        var start = latest.Model.StartEvents.FirstOrDefault(s => s.IsNone)
            ?? throw new ElementFailedException($"Call activity '{token.ElementId}': process '{processId}' has no none start event.");
        var scope = parent.State.View(token);
        var variables = parent.Model.Nodes[token.ElementId] is CallActivity { Mappings: { } mappings }
            ? Elements.CallMappings.Apply(mappings.In, mappings.InAll, Scripts, scope)
            : scope.DeepClone().AsObject();
        // The child gets the parent's variables (with an instance's element variable and loop counter), not the body's counters.
        foreach (var name in Elements.MultiInstanceLoop.CounterNames.Where(n => n != Elements.MultiInstanceLoop.Counter)) variables.Remove(name);
        CreateInstance(latest.Definition, latest.Model, start, parent.Entity.BusinessKey, parent.Entity.CorrelationKey,
            variables, (parent.Entity.Id, token.Id));
    }

    /// <summary>Terminate end: every other token of its scope is cancelled — the instance's, or inside a sub-process only that sub-process's (which then completes).</summary>
    public async Task TerminateAsync(InstanceRun run, Token token, FlowNode end)
    {
        Journal(run, end.Id, JournalKind.Completed);
        run.State.Tokens.Remove(token);
        foreach (var other in run.State.Tokens.Where(t => t.ParentId == token.ParentId).ToList())
            await CancelTokenAsync(run, other, $"Terminated by '{end.Id}'.", default);
    }

    /// <summary>
    /// Throws business error <paramref name="code"/> from <paramref name="from"/> (an error end event's token, or a service task's
    /// whose handler raised it). The catcher is the first error boundary event catching the code on the throwing activity
    /// itself, then on each scope around it (sub-process, multi-instance body), then on the call activity of the calling
    /// instance, and so on up. That activity is cancelled with everything inside it (called instances in between are
    /// cancelled) and its token leaves by the boundary event. False when nothing catches it (nothing is changed).
    /// </summary>
    public async Task<bool> ThrowErrorAsync(InstanceRun run, Token from, string code, string? message, CancellationToken ct)
    {
        var calledInstances = new List<InstanceRun>();
        var atRun = run;
        var at = from;
        while (true)
        {
            for (var candidate = at; candidate is not null; candidate = atRun.State.Find(candidate.ParentId))
            {
                if (atRun.Model.Nodes[candidate.ElementId] is not ActivityNode activity || atRun.State.IsLoopInstance(candidate)) continue;
                if (activity.ErrorBoundaries.FirstOrDefault(b => b.Catches(code)) is not { } boundary) continue;

                foreach (var called in calledInstances)
                    await CancelInstanceAsync(called, $"Error '{code}' was caught by '{boundary.Id}' in the calling process.", ct);
                if (from != candidate && run.State.Tokens.Contains(from))
                {
                    Journal(run, from.ElementId, JournalKind.Completed, detail: $"Threw error '{code}'.");
                    run.State.Tokens.Remove(from);
                }
                await CancelBookmarksAsync(atRun, candidate, ct);
                Journal(atRun, candidate.ElementId, JournalKind.Cancelled, detail: $"Interrupted by error '{code}', caught by '{boundary.Id}'.");
                candidate.ElementId = boundary.Id;
                candidate.ArrivedVia = null;
                candidate.Loop = null;
                candidate.Locals = null;
                candidate.Status = TokenStatus.Active;
                var caught = new JsonObject();
                if (boundary.CodeVariable is { } codeVariable) caught[codeVariable] = code;
                if (boundary.MessageVariable is { } messageVariable) caught[messageVariable] = message;
                atRun.State.Set(candidate, caught);
                atRun.Changed = true;
                atRun.Queue.Enqueue(candidate);
                return true;
            }
            if (atRun.Entity.ParentInstanceId is not { } parentId || await LoadAsync(parentId, ct) is not { } parent
                || parent.State.Find(atRun.Entity.ParentTokenId) is not { } callToken)
                return false;
            calledInstances.Add(atRun);
            atRun = parent;
            at = callToken;
        }
    }

    public async Task CancelTokenAsync(InstanceRun run, Token token, string reason, CancellationToken ct)
    {
        if (!run.State.Tokens.Contains(token)) return; // cancelled already, with the scope it ran in
        await CancelBookmarksAsync(run, token, ct);
        Journal(run, token.ElementId, JournalKind.Cancelled, detail: reason);
        run.State.Tokens.Remove(token);
    }

    /// <summary>Withdraws what the token waits on: work item, timers, subscription, outbox entry, child instance.</summary>
    public async Task CancelBookmarksAsync(InstanceRun run, Token token, CancellationToken ct)
    {
        run.Changed = true;
        // A multi-instance body's instances and a sub-process's tokens go with it.
        foreach (var child in run.State.Children(token).ToList())
            await CancelTokenAsync(run, child, $"'{token.ElementId}' was cancelled.", ct);
        var id = run.Entity.Id;
        var node = run.Model.Nodes.GetValueOrDefault(token.ElementId);
        if (node is UserTask)
            foreach (var item in await FindAsync<WorkItem>(w => w.TokenId == token.Id && w.InstanceId == id && w.Status == WorkItemStatus.Open, ct))
            {
                item.Status = WorkItemStatus.Cancelled;
                item.CompletedAt = Now;
                item.CompletedBy = UserId;
            }
        if (node is ActivityNode { Boundaries.Count: > 0 } or TimerCatchEvent or EventBasedGateway)
            foreach (var timer in await FindAsync<WorkflowTimer>(t => t.TokenId == token.Id && t.InstanceId == id && t.Status == TimerStatus.Scheduled, ct))
                timer.Status = TimerStatus.Cancelled;
        if (node is MessageCatchEvent or EventBasedGateway or ReceiveTask)
            foreach (var subscription in await FindAsync<MessageSubscription>(s => s.TokenId == token.Id && s.InstanceId == id, ct))
                Db.Remove(subscription);
        if (node is ServiceTask or MessageThrowEvent)
            foreach (var entry in await FindAsync<OutboxEntry>(o => o.TokenId == token.Id && o.InstanceId == id && o.Status == OutboxStatus.Pending, ct))
                entry.Status = OutboxStatus.Cancelled;
        if (node is CallActivity)
        {
            var children = await Db.Set<WorkflowInstance>()
                .Where(c => c.ParentInstanceId == id && c.ParentTokenId == token.Id && c.Status == InstanceStatus.Running)
                .Select(c => c.Id).ToListAsync(ct);
            foreach (var childId in children)
                if (await LoadAsync(childId, ct) is { Entity.Status: InstanceStatus.Running } child)
                    await CancelInstanceAsync(child, "Parent activity cancelled.", ct);
        }
    }

    public async Task CancelInstanceAsync(InstanceRun run, string reason, CancellationToken ct)
    {
        foreach (var token in run.State.Tokens.ToList())
            await CancelTokenAsync(run, token, reason, ct);
        run.Queue.Clear();
        await WithdrawEventSubProcessTriggersAsync(run, ct);
        foreach (var incident in await FindAsync<Incident>(i => i.InstanceId == run.Entity.Id && i.ResolvedAt == null, ct))
        {
            incident.ResolvedAt = Now;
            incident.ResolvedBy = UserId;
        }
        run.Entity.OpenIncidents = 0;
        run.Entity.Status = InstanceStatus.Cancelled;
        run.Entity.EndedAt = Now;
        run.Entity.EndReason = reason;
        Journal(run, null, JournalKind.InstanceCancelled, detail: reason);
    }

    /// <summary>Rows matching <paramref name="predicate"/>, including ones added in this command and not yet saved.</summary>
    public async Task<List<T>> FindAsync<T>(Expression<Func<T, bool>> predicate, CancellationToken ct) where T : class
    {
        var stored = await Db.Set<T>().Where(predicate).ToListAsync(ct);
        // Interpreted: compiling emits a dynamic method per call, which the finalizer thread must then tear down.
        var matches = predicate.Compile(preferInterpretation: true);
        return stored
            .Concat(Db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).Select(e => e.Entity))
            .Distinct()
            .Where(matches)
            .ToList();
    }

    /// <summary>
    /// Commits the command. Returns null on success, else a conflict result (nothing was changed).
    /// </summary>
    public async Task<WorkflowResult?> CommitAsync(string? commandId, OnCommit? onCommit, Func<Task<ConflictInfo?>> whoWon, CancellationToken ct)
    {
        foreach (var run in runs.Values.Where(r => r.Changed))
        {
            run.Entity.StateJson = run.State.Serialize();
            run.Entity.Version++;
        }
        if (commandId is not null)
            Db.Add(new ProcessedCommand { CommandId = commandId, InstanceId = runs.Keys.FirstOrDefault(), At = Now });

        try
        {
            await services.Gate.CommitAsync(context, onCommit, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return WorkflowResult.Conflicted("Someone else changed this process instance at the same time; nothing was saved.", await whoWon());
        }
        catch (DbUpdateException) when (commandId is not null)
        {
            // Only a concurrent replay of the same command id can collide here.
            if (await services.IsProcessedAsync(commandId, ct)) return WorkflowResult.Ok() with { Replayed = true };
            throw;
        }

        await ScheduleAfterCommitAsync(ct);
        return null;
    }

    // Hangfire is the alarm clock only; if this fails after the commit the sweep re-arms the timers.
    private async Task ScheduleAfterCommitAsync(CancellationToken ct)
    {
        try
        {
            // Only wake-ups within the sweep horizon: the minutely sweep arms later ones when they come within it.
            var horizon = Now + TimerSweeper.Horizon(services.Options);
            var jobs = newTimers.Where(t => t.Status == TimerStatus.Scheduled && t.DueAt <= horizon)
                .Select(t => (t.Id, JobId: services.Scheduler.ScheduleTimer(t.Id, t.DueAt))).ToList();
            foreach (var entry in outboxToSchedule.Where(e => e.Status == OutboxStatus.Pending))
                services.Scheduler.ScheduleOutbox(entry.Id, entry.NextAttemptAt);
            if (jobs.Count == 0) return;
            // A fresh context: this one may have lent its connection to a group commit.
            await using var db = services.DbFactory.Create();
            await services.Gate.RunAsync(async () =>
            {
                foreach (var (id, jobId) in jobs)
                    await db.Set<WorkflowTimer>().Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), ct);
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogWarning(e, "Scheduling wake-ups after a commit failed; the timer sweep will re-arm them.");
        }
    }
}
