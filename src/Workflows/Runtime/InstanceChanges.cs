using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Elements.Gateways;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>Migration of running instances to another version of their process, and instance modification (docs/engine.md).</summary>
internal sealed class InstanceChanges(EngineServices services) : IInstanceChanges
{
    public async Task<WorkflowResult<MigrationPlanView>> PlanAsync(string processId, int fromVersion, int toVersion, IReadOnlyDictionary<string, string>? overrides = null, CancellationToken ct = default)
    {
        if (fromVersion == toVersion) return Invalid<MigrationPlanView>("Choose two different versions.");
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var db = context.Db;
        var from = await PublishedAsync(db, processId, fromVersion, ct);
        var to = await PublishedAsync(db, processId, toVersion, ct);
        if (from is null || to is null)
            return Invalid<MigrationPlanView>($"Process '{processId}' has no published version {(from is null ? fromVersion : toVersion)}.");

        // Where the running instances of the old version wait, counted once per instance and element.
        var counts = new Dictionary<string, int>();
        var running = 0;
        await foreach (var json in db.Set<WorkflowInstance>().AsNoTracking()
            .Where(i => i.DefinitionId == from.Value.Definition.Id && i.Status == InstanceStatus.Running).Select(i => i.StateJson).AsAsyncEnumerable().WithCancellation(ct))
        {
            running++;
            foreach (var id in InstanceState.Parse(json).ActiveElementIds()) counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        var mapping = counts.Keys.Where(to.Value.Model.Nodes.ContainsKey).ToDictionary(id => id, id => id);
        foreach (var (source, target) in overrides ?? new Dictionary<string, string>())
        {
            if (!from.Value.Model.Nodes.ContainsKey(source)) return Invalid<MigrationPlanView>($"Version {fromVersion} has no element '{source}'.");
            if (string.IsNullOrEmpty(target)) mapping.Remove(source);
            else if (!to.Value.Model.Nodes.ContainsKey(target)) return Invalid<MigrationPlanView>($"Version {toVersion} has no element '{target}'.");
            else mapping[source] = target;
        }

        var sources = from.Value.Model.DocumentOrder.Where(n => counts.ContainsKey(n.Id))
            .Select(n => new MigrationSource(Ref(n), counts[n.Id], mapping.GetValueOrDefault(n.Id))).ToList();
        var targets = to.Value.Model.DocumentOrder.Where(n => n is not UnsupportedNode).Select(Ref).ToList();
        return new(WorkflowOutcome.Ok, new MigrationPlanView(new MigrationPlan(processId, fromVersion, toVersion, mapping), sources, targets, running));
    }

    public async Task<IReadOnlyList<MigrationCheck>> DryRunAsync(MigrationPlan plan, Guid? after = null, int limit = 200, CancellationToken ct = default)
    {
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var db = context.Db;
        var from = await PublishedAsync(db, plan.ProcessId, plan.FromVersion, ct);
        var to = await PublishedAsync(db, plan.ProcessId, plan.ToVersion, ct);
        if (from is null || to is null) return [];
        var query = db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.DefinitionId == from.Value.Definition.Id && i.Status == InstanceStatus.Running);
        if (after is { } last) query = query.Where(i => i.Id.CompareTo(last) > 0);
        var rows = await query.OrderBy(i => i.Id).Take(Math.Clamp(limit, 1, 1000))
            .Select(i => new { i.Id, i.BusinessKey, i.CreatedAt, i.StateJson, i.OpenIncidents }).ToListAsync(ct);
        return rows.Select(r =>
        {
            var state = InstanceState.Parse(r.StateJson);
            return new MigrationCheck(r.Id, r.BusinessKey, r.CreatedAt, state.ActiveElementIds(),
                Check(state, r.OpenIncidents, from.Value.Model, to.Value.Model, plan));
        }).ToList();
    }

    public async Task<WorkflowResult<MigrationRefusal>> MigrateAsync(Guid instanceId, MigrationPlan plan, string? userId = null, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        await using var session = await CommandSession.OpenAsync(services, userId);
        var run = await session.LoadAsync(instanceId, ct);
        if (run is null) return WorkflowResult<MigrationRefusal>.From(WorkflowResult.NotFound("The process instance does not exist."));
        var to = await PublishedAsync(session.Db, plan.ProcessId, plan.ToVersion, ct);
        if (to is null) return WorkflowResult<MigrationRefusal>.From(WorkflowResult.NotFound($"Process '{plan.ProcessId}' has no published version {plan.ToVersion}."));
        if (run.Entity.Status != InstanceStatus.Running || run.Entity.ProcessId != plan.ProcessId || run.Entity.DefinitionVersion != plan.FromVersion)
        {
            var moved = new MigrationRefusal(MigrationRefusalKind.NotOnVersion, null, null, null,
                $"The instance is no longer running on version {plan.FromVersion} ({run.Entity.Status}, version {run.Entity.DefinitionVersion}).");
            return new(WorkflowOutcome.Conflict, moved, moved.Message) { Conflict = await services.LastActorAsync(instanceId, ct) };
        }
        if (Check(run.State, run.Entity.OpenIncidents, run.Model, to.Value.Model, plan) is { } refusal)
            return new(WorkflowOutcome.Invalid, refusal, refusal.Message);

        var target = to.Value.Model;
        // The run on the new model, so that expressions (candidate roles, timers) are evaluated as the new version's elements would.
        var onTarget = new InstanceRun(run.Entity, target, run.State);
        try
        {
            foreach (var token in run.State.Tokens)
                await MoveTokenAsync(session, run, onTarget, token, Map(plan, target, token.ElementId)!, plan, ct);
        }
        catch (ElementFailedException e)
        {
            var failed = new MigrationRefusal(MigrationRefusalKind.Failed, null, null, null, e.Message);
            return new(WorkflowOutcome.Invalid, failed, failed.Message);
        }
        await MoveEventSubProcessTriggersAsync(session, run, onTarget, ct);
        run.Entity.DefinitionId = to.Value.Definition.Id;
        run.Entity.DefinitionVersion = to.Value.Definition.Version;
        session.Journal(run, null, JournalKind.Migrated, detail: $"Migrated from version {plan.FromVersion} to {plan.ToVersion}"
            + (userId is null ? "." : $" by {userId}."));
        var failure = await session.CommitAsync(null, onCommit, () => services.LastActorAsync(instanceId, ct), ct);
        return failure is null ? new(WorkflowOutcome.Ok, null) : WorkflowResult<MigrationRefusal>.From(failure);
    }

    // Moves one token and what it waits on to the target element (the checks have passed).
    private static async Task MoveTokenAsync(CommandSession session, InstanceRun run, InstanceRun moved, Token token, string targetId, MigrationPlan plan, CancellationToken ct)
    {
        var source = run.Model.Nodes[token.ElementId];
        var target = moved.Model.Nodes[targetId];
        var id = run.Entity.Id;
        var context = new FlowContext(session, moved, token, target, null);
        token.ElementId = targetId;
        if (token.ArrivedVia is not null && !moved.Model.Flows.Any(f => f.Id == token.ArrivedVia && f.TargetId == targetId)) token.ArrivedVia = null;
        run.Changed = true;

        if (target is UserTask task)
            foreach (var item in await session.FindAsync<WorkItem>(w => w.TokenId == token.Id && w.InstanceId == id && w.Status == WorkItemStatus.Open, ct))
                context.Retarget(item, task);
        foreach (var subscription in await session.FindAsync<MessageSubscription>(s => s.TokenId == token.Id && s.InstanceId == id, ct))
        {
            subscription.ElementId = targetId;
            if (((target as MessageCatchEvent)?.MessageName ?? (target as ReceiveTask)?.MessageName) is { } name) subscription.MessageName = name;
        }
        foreach (var entry in await session.FindAsync<OutboxEntry>(o => o.TokenId == token.Id && o.InstanceId == id && o.Status == OutboxStatus.Pending, ct))
            entry.ElementId = targetId;

        var kept = new HashSet<string>();
        var targetBoundaries = (target as ActivityNode)?.Boundaries ?? [];
        foreach (var timer in await session.FindAsync<WorkflowTimer>(t => t.TokenId == token.Id && t.InstanceId == id && t.Status == TimerStatus.Scheduled, ct))
        {
            if (timer.ElementId == source.Id)
            {
                timer.ElementId = targetId; // a timer catch event keeps its due time
                continue;
            }
            var boundaryId = plan.Mapping.GetValueOrDefault(timer.ElementId) ?? timer.ElementId;
            if (targetBoundaries.Any(b => b.Id == boundaryId) && kept.Add(boundaryId)) timer.ElementId = boundaryId;
            else timer.Status = TimerStatus.Cancelled;
        }
        if (!run.State.IsLoopInstance(token))
            foreach (var boundary in targetBoundaries.Where(b => !kept.Contains(b.Id)))
                context.ArmBoundary(boundary);
    }

    // The instance's own bookmarks for its event sub-processes' starts (no token): one whose start event the new version has with
    // the same kind of trigger stays (a timer keeps its due time, a subscription takes the new message name), the others are
    // withdrawn, and the new version's starts that have none are armed from now.
    private static async Task MoveEventSubProcessTriggersAsync(CommandSession session, InstanceRun run, InstanceRun onTarget, CancellationToken ct)
    {
        var id = run.Entity.Id;
        var starts = onTarget.Model.EventSubProcesses.Select(e => e.Start(onTarget.Model)).ToDictionary(s => s.Id);
        var kept = new HashSet<string>();
        foreach (var timer in await session.FindAsync<WorkflowTimer>(t => t.InstanceId == id && t.TokenId == CommandSession.EventSubProcessTrigger && t.Status == TimerStatus.Scheduled, ct))
            if (starts.GetValueOrDefault(timer.ElementId) is { Timer: not null }) kept.Add(timer.ElementId);
            else timer.Status = TimerStatus.Cancelled;
        foreach (var subscription in await session.FindAsync<MessageSubscription>(s => s.InstanceId == id && s.TokenId == CommandSession.EventSubProcessTrigger, ct))
            if (starts.GetValueOrDefault(subscription.ElementId) is { MessageName: { } message })
            {
                subscription.MessageName = message;
                kept.Add(subscription.ElementId);
            }
            else session.Db.Remove(subscription);
        foreach (var start in starts.Values.Where(s => !kept.Contains(s.Id))) session.ArmEventSubProcess(onTarget, start);
    }

    /// <summary>Null when the instance can move under the plan, else the first reason it cannot (conservative: what the engine cannot
    /// move correctly is refused).</summary>
    private static MigrationRefusal? Check(InstanceState state, int openIncidents, ProcessModel source, ProcessModel target, MigrationPlan plan)
    {
        if (openIncidents > 0)
            return new(MigrationRefusalKind.OpenIncident, null, null, null, $"The instance has {openIncidents} open incident(s); retry or resolve them first.");
        foreach (var token in state.Tokens)
        {
            var node = source.Nodes.GetValueOrDefault(token.ElementId);
            if (node is null)
                return new(MigrationRefusalKind.ElementMissing, token.ElementId, null, null, $"Waiting at '{token.ElementId}', which version {plan.FromVersion} does not have.");
            MigrationRefusal Refuse(MigrationRefusalKind kind, string? targetId, string message) => new(kind, node.Id, node.Name, targetId, message);
            var label = node.Name is null ? $"'{node.Id}'" : $"'{node.Name}' ({node.Id})";

            if (InEventSubProcess(source, node) || InEventSubProcess(target, target.Nodes.GetValueOrDefault(Map(plan, target, node.Id) ?? "")))
                return Refuse(MigrationRefusalKind.InEventSubProcess, null, $"{label} runs in an event sub-process; such instances are not migrated.");
            if (token.Status is TokenStatus.Active or TokenStatus.Incident)
                return Refuse(MigrationRefusalKind.NotWaiting, null, $"The token at {label} is not waiting.");
            var targetId = Map(plan, target, node.Id);
            if (targetId is null)
                return Refuse(MigrationRefusalKind.ElementMissing, null, $"Waiting at {label}, which version {plan.ToVersion} does not have and no mapping names.");
            var mapped = target.Nodes[targetId];
            if (mapped.GetType() != node.GetType())
                return Refuse(MigrationRefusalKind.DifferentKind, targetId, $"{label} ({node.ElementType}) is mapped to '{targetId}' ({mapped.ElementType}), another kind of element.");
            if (node is ActivityNode { Loop: not null } || mapped is ActivityNode { Loop: not null })
                return Refuse(MigrationRefusalKind.MultiInstance, targetId, $"{label} or '{targetId}' is multi-instance; such tokens are not migrated.");
            if ((node.ScopeId is null ? null : Map(plan, target, node.ScopeId)) != mapped.ScopeId)
                return Refuse(MigrationRefusalKind.ScopeChanged, targetId, $"'{targetId}' lies in another sub-process than {label}.");
            if (node is EventBasedGateway)
                return Refuse(MigrationRefusalKind.EventGateway, targetId, $"Waiting at the event-based gateway {label}; such tokens are not migrated.");
            if (token.Status == TokenStatus.Joining && token.ArrivedVia is { } flow && !target.Flows.Any(f => f.Id == flow && f.TargetId == targetId))
                return Refuse(MigrationRefusalKind.JoinChanged, targetId, $"Waiting at the join {label} after flow '{flow}', which does not lead to '{targetId}' in version {plan.ToVersion}.");
            if (Topic(node) != Topic(mapped))
                return Refuse(MigrationRefusalKind.TopicChanged, targetId, $"{label} calls topic '{Topic(node)}', '{targetId}' calls '{Topic(mapped)}'.");
            if (node is CallActivity call && ((CallActivity)mapped).CalledElement != call.CalledElement)
                return Refuse(MigrationRefusalKind.CalledProcessChanged, targetId, $"{label} calls '{call.CalledElement}', '{targetId}' calls '{((CallActivity)mapped).CalledElement}'.");
        }
        return null;
    }

    private static bool InEventSubProcess(ProcessModel model, FlowNode? node)
    {
        for (var at = node; at is not null; at = at.ScopeId is null ? null : model.Nodes.GetValueOrDefault(at.ScopeId))
            if (at is EventSubProcess) return true;
        return false;
    }

    private static string? Topic(FlowNode node) => node switch { ServiceTask s => s.Topic, MessageThrowEvent m => m.Topic, _ => null };

    /// <summary>The element <paramref name="sourceId"/> moves to: the plan's mapping, else the element with the same id, else none.</summary>
    private static string? Map(MigrationPlan plan, ProcessModel target, string sourceId) =>
        plan.Mapping.TryGetValue(sourceId, out var mapped) ? (target.Nodes.ContainsKey(mapped) ? mapped : null)
        : target.Nodes.ContainsKey(sourceId) ? sourceId : null;

    public async Task<ModificationChoices?> ModificationChoicesAsync(Guid instanceId, CancellationToken ct = default)
    {
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var entity = await context.Db.Set<WorkflowInstance>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct);
        if (entity is null) return null;
        var model = await services.Definitions.ModelAsync(context.Db, entity.DefinitionId, ct);
        var state = InstanceState.Parse(entity.StateJson);
        var active = state.Tokens.Where(t => t.ParentId is null).Select(t => t.ElementId).Distinct().ToHashSet();
        return new(model.DocumentOrder.Where(n => active.Contains(n.Id)).Select(Ref).ToList(),
            model.DocumentOrder.Where(Startable).Select(Ref).ToList());
    }

    // A token can be started at a process-level element a token can arrive at by a flow (not a boundary event or an event sub-process, not inside a sub-process).
    private static bool Startable(FlowNode node) => node.ScopeId is null && node is not (BoundaryTimerEvent or BoundaryErrorEvent or EventSubProcess or UnsupportedNode);

    public async Task<WorkflowResult<ModificationPreview>> PreviewModificationAsync(Guid instanceId, string cancelElementId, string startElementId, CancellationToken ct = default)
    {
        await using var session = await CommandSession.OpenAsync(services, null);
        var (run, error) = await ModifyInSessionAsync(session, instanceId, cancelElementId, startElementId, "preview", ct);
        if (run is null) return WorkflowResult<ModificationPreview>.From(error!);
        // Nothing is saved: what the command would write is read from the session's unsaved changes.
        var journal = session.Db.ChangeTracker.Entries<JournalEntry>().Where(e => e.State == EntityState.Added && e.Entity.InstanceId == instanceId)
            .Select(e => e.Entity).ToList();
        List<ElementRef> Elements(IEnumerable<string?> ids) => ids.OfType<string>().Distinct().Select(id => Ref(run.Model.Nodes[id])).ToList();
        var preview = new ModificationPreview(
            Elements(journal.Where(j => j.Kind == JournalKind.Cancelled).Select(j => j.ElementId)),
            journal.Where(j => j.Kind == JournalKind.Entered && j.ElementId is not null).Select(j => Ref(run.Model.Nodes[j.ElementId!])).ToList(),
            Elements(run.State.ActiveElementIds()),
            session.Db.ChangeTracker.Entries<Incident>().Where(e => e.State == EntityState.Added && e.Entity.InstanceId == instanceId).Select(e => e.Entity.Message).ToList(),
            run.Entity.Status);
        return new(WorkflowOutcome.Ok, preview);
    }

    public async Task<WorkflowResult> ModifyAsync(Guid instanceId, string cancelElementId, string startElementId, string reason, string? userId = null, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        if (string.IsNullOrWhiteSpace(reason)) return WorkflowResult.Invalid("Give a reason for the modification.");
        await using var session = await CommandSession.OpenAsync(services, userId);
        var (run, error) = await ModifyInSessionAsync(session, instanceId, cancelElementId, startElementId, reason, ct);
        if (run is null) return error!;
        return await session.CommitAsync(null, onCommit, () => services.LastActorAsync(instanceId, ct), ct) ?? WorkflowResult.Ok();
    }

    // The modification, applied in the session and not committed: the process-level tokens at the cancelled element go (with what
    // they wait on and their open incidents), a new token starts at the other element and runs until it waits.
    private static async Task<(InstanceRun? Run, WorkflowResult? Error)> ModifyInSessionAsync(CommandSession session, Guid instanceId, string cancelElementId, string startElementId, string reason, CancellationToken ct)
    {
        var run = await session.LoadAsync(instanceId, ct);
        if (run is null) return (null, WorkflowResult.NotFound("The process instance does not exist."));
        if (run.Entity.Status != InstanceStatus.Running) return (null, WorkflowResult.Conflicted($"The instance has already ended ({run.Entity.Status}).", null));
        var tokens = run.State.Tokens.Where(t => t.ElementId == cancelElementId && t.ParentId is null).ToList();
        if (tokens.Count == 0) return (null, WorkflowResult.Invalid($"No token of the instance is at '{cancelElementId}'."));
        if (run.Model.Nodes.GetValueOrDefault(startElementId) is not { } start || !Startable(start))
            return (null, WorkflowResult.Invalid($"'{startElementId}' is not an element of this version a token can be started at."));

        session.Journal(run, null, JournalKind.Modified, detail: $"Moved from '{cancelElementId}' to '{startElementId}': {reason}");
        foreach (var token in tokens) await session.CancelTokenAsync(run, token, $"Cancelled by a modification: {reason}", ct);
        var remaining = run.State.Tokens.Select(t => t.Id).ToHashSet();
        foreach (var incident in await session.FindAsync<Incident>(i => i.InstanceId == instanceId && i.ResolvedAt == null && i.TokenId != null, ct))
            if (!remaining.Contains(incident.TokenId!))
            {
                incident.ResolvedAt = session.Now;
                incident.ResolvedBy = session.UserId;
                run.Entity.OpenIncidents = Math.Max(0, run.Entity.OpenIncidents - 1);
            }
        run.Queue.Enqueue(session.NewToken(run, start.Id));
        await session.DrainAsync(ct);
        return (run, null);
    }

    private async Task<(WorkflowDefinition Definition, ProcessModel Model)?> PublishedAsync(DbContext db, string processId, int version, CancellationToken ct) =>
        await db.Set<WorkflowDefinition>().AsNoTracking()
            .FirstOrDefaultAsync(d => d.ProcessId == processId && d.Version == version && d.Status == DefinitionStatus.Published, ct) is { } definition
            ? (definition, services.Definitions.Model(definition))
            : null;

    private static ElementRef Ref(FlowNode node) => new(node.Id, node.Name, node.ElementType, node.ScopeId);

    private static WorkflowResult<T> Invalid<T>(string message) => WorkflowResult<T>.From(WorkflowResult.Invalid(message));
}
