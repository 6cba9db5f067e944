using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>The runtime API over the command session.</summary>
internal sealed class WorkflowEngine(EngineServices services) : IWorkflowRuntime
{
    private WorkflowOptions Options => services.Options;

    public async Task<WorkflowResult<Guid>> StartAsync(StartProcess command, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        await using var session = await CommandSession.OpenAsync(services, command.UserId);
        if (command.CommandId is not null && await EngineServices.IsProcessedAsync(session.Db, command.CommandId, ct))
            return new(WorkflowOutcome.Ok, default) { Replayed = true };
        var latest = await services.Definitions.LatestAsync(session.Db, command.ProcessId, ct);
        if (latest is null) return WorkflowResult<Guid>.From(WorkflowResult.NotFound($"Process '{command.ProcessId}' has no published version."));
        var start = latest.Value.Model.StartEvents.FirstOrDefault(s => s.IsNone);
        if (start is null) return WorkflowResult<Guid>.From(WorkflowResult.Invalid($"Process '{command.ProcessId}' has no none start event; it starts with a message or a timer."));
        var run = session.CreateInstance(latest.Value.Definition, latest.Value.Model, start, command.BusinessKey, command.CorrelationKey, Variables.ToJson(command.Variables), null);
        await session.DrainAsync(ct);
        var failed = await session.CommitAsync(command.CommandId, onCommit, () => Task.FromResult<ConflictInfo?>(null), ct);
        return failed is null ? new(WorkflowOutcome.Ok, run.Entity.Id) : WorkflowResult<Guid>.From(failed);
    }

    public Task<WorkflowResult> ClaimAsync(Guid taskId, WorkflowUser user, CancellationToken ct = default) =>
        ChangeTaskAsync(taskId, user, ct, (item, run, session) =>
        {
            if (item.Assignee == user.Id) return WorkflowResult.Ok();
            if (item.Assignee is not null) return WorkflowResult.Conflicted($"The task is already claimed by {item.Assignee}.", new(item.Assignee, null));
            if (!MayWork(item, user)) return WorkflowResult.Forbidden("The task is for roles you do not hold.");
            item.Assignee = user.Id;
            session.Journal(run, item.ElementId, JournalKind.Claimed);
            return null;
        });

    public Task<WorkflowResult> UnclaimAsync(Guid taskId, WorkflowUser user, CancellationToken ct = default, OnCommit? onCommit = null) =>
        ChangeTaskAsync(taskId, user, ct, (item, run, session) =>
        {
            if (item.Assignee != user.Id && !IsManager(user)) return WorkflowResult.Forbidden("Only the user holding a task can give it back.");
            if (item.Assignee is null) return WorkflowResult.Ok();
            item.Assignee = null;
            session.Journal(run, item.ElementId, JournalKind.Unclaimed);
            return null;
        }, onCommit);

    public Task<WorkflowResult> ReassignAsync(Guid taskId, WorkflowUser user, string newAssignee, CancellationToken ct = default, OnCommit? onCommit = null) =>
        ChangeTaskAsync(taskId, user, ct, (item, run, session) =>
        {
            if (string.IsNullOrWhiteSpace(newAssignee)) return WorkflowResult.Invalid("Choose the user to hand the task to.");
            if (item.Assignee != user.Id && !IsManager(user))
                return WorkflowResult.Forbidden("Only the task's assignee or a supervisor can reassign it.");
            item.Assignee = newAssignee;
            session.Journal(run, item.ElementId, JournalKind.Reassigned, detail: $"to {newAssignee}");
            return null;
        }, onCommit);

    public Task<WorkflowResult> ChangeDueDateAsync(Guid taskId, WorkflowUser user, DateTime dueAt, string reason, CancellationToken ct = default, OnCommit? onCommit = null) =>
        ChangeTaskAsync(taskId, user, ct, (item, run, session) =>
        {
            if (!IsManager(user)) return WorkflowResult.Forbidden("Only a supervisor can change a task's due date.");
            if (string.IsNullOrWhiteSpace(reason)) return WorkflowResult.Invalid("Give a reason for the new due date.");
            dueAt = DateTime.SpecifyKind(dueAt, DateTimeKind.Utc);
            if (dueAt <= session.Now) return WorkflowResult.Invalid("The new due date must be in the future.");
            if (item.DueAt is { } old)
            {
                // The deadline timers: boundary timers of this task armed for its due date (an SLA), waiting or fired once.
                var boundaries = run.Model.Nodes.Values.OfType<BoundaryTimerEvent>().Where(b => b.AttachedToId == item.ElementId).Select(b => b.Id).ToHashSet();
                foreach (var timer in session.Db.Set<WorkflowTimer>().Local.Where(t => t.InstanceId == item.InstanceId && t.TokenId == item.TokenId
                    && boundaries.Contains(t.ElementId) && t.Status != TimerStatus.Cancelled && (t.DueAt - old).Duration() < TimeSpan.FromSeconds(1)))
                    session.Rearm(timer, dueAt);
            }
            item.DueAt = dueAt;
            session.Journal(run, item.ElementId, JournalKind.DueDateChanged, detail: reason.Trim());
            return null;
        }, onCommit, loadTimers: true);

    private bool IsManager(WorkflowUser user) => user.Roles.Intersect(Options.ManagerRoles).Any();

    private async Task<WorkflowResult> ChangeTaskAsync(Guid taskId, WorkflowUser user, CancellationToken ct, Func<WorkItem, InstanceRun, CommandSession, WorkflowResult?> change,
        OnCommit? onCommit = null, bool loadTimers = false)
    {
        await using var session = await CommandSession.OpenAsync(services, user.Id);
        // The task and its instance in one statement: the instance's row version guards this command, so it must be
        // read with the task (read apart, a claim committed in between was missed and two users both took the task).
        var loaded = await HotQueries.TaskWithInstance(session.Db, taskId, ct);
        if (loaded is null) return WorkflowResult.NotFound("The task does not exist.");
        var item = loaded.Item;
        if (item.Status != WorkItemStatus.Open) return Finished(item);
        var run = await session.AdoptAsync(loaded.Instance, ct);
        if (loadTimers) await session.Db.Set<WorkflowTimer>().Where(t => t.InstanceId == item.InstanceId && t.TokenId == item.TokenId).LoadAsync(ct);
        if (change(item, run, session) is { } early) return early;
        return await session.CommitAsync(null, onCommit, () => WhoWonAsync(taskId, ct), ct) ?? WorkflowResult.Ok();
    }

    /// <summary>
    /// Completes the task. When the commit loses a race on the instance's row version to another command (e.g. another
    /// approver of the same multi-instance task), the completion is tried again on the new state: if the task is still open it
    /// completes (the hook runs again; nothing of the lost attempt was saved), if someone completed it meanwhile the caller gets
    /// that conflict. So completions of different work items of one instance are never lost to each other.
    /// </summary>
    public async Task<WorkflowResult> CompleteTaskAsync(CompleteTask command, OnComplete? onComplete = null, CancellationToken ct = default)
    {
        var attempt = new CompletionAttempt();
        try
        {
            for (var tries = 1; ; tries++)
            {
                attempt.Again = false;
                var result = await CompleteTaskOnceAsync(command, onComplete, attempt, ct);
                if (!attempt.Again || tries >= CompleteAttempts) return result;
            }
        }
        finally
        {
            attempt.Turn?.Dispose();
        }
    }

    /// <summary>Enough for every approver of a 20-way multi-instance task finishing at once (each round commits at least one).</summary>
    private const int CompleteAttempts = 50;

    /// <summary>What one try of a completion tells the next: try again (lost the race, or waited for the instance's turn), and the turn it holds.</summary>
    private sealed class CompletionAttempt
    {
        public bool Again;
        public IDisposable? Turn;
    }

    private async Task<WorkflowResult> CompleteTaskOnceAsync(CompleteTask command, OnComplete? onComplete, CompletionAttempt attempt, CancellationToken ct)
    {
        await using var session = await CommandSession.OpenAsync(services, command.User.Id);
        // One read for the task and its instance: this is the engine's hottest path (docs/engine.md, Benchmark).
        var loaded = await HotQueries.TaskWithInstance(session.Db, command.TaskId, ct);
        if (loaded is null) return WorkflowResult.NotFound("The task does not exist.");
        var item = loaded.Item;
        if (attempt.Turn is null)
        {
            (attempt.Turn, var waited) = await services.Turns.EnterAsync(item.InstanceId, ct);
            // Someone completed a task of this instance meanwhile: read it again now that it is our turn.
            if (waited)
            {
                attempt.Again = true;
                return WorkflowResult.Conflicted("Waited for another completion on this instance.", null);
            }
        }
        // A command that was applied has closed its task, so the replay check is only needed for closed tasks
        // (a reused id on an open task fails on the primary key at commit and is reported as a replay there).
        if (item.Status != WorkItemStatus.Open)
            return await EngineServices.IsProcessedAsync(session.Db, command.CommandId, ct) ? WorkflowResult.Ok() with { Replayed = true } : Finished(item);
        if (item.Assignee is not null ? item.Assignee != command.User.Id : !MayWork(item, command.User))
            return WorkflowResult.Forbidden(item.Assignee is null ? "The task is for roles you do not hold." : $"The task is assigned to {item.Assignee}.");
        var variables = command.Variables;
        if (onComplete is not null && await onComplete(session.Db, View(item), ct) is { Count: > 0 } added)
        {
            var merged = new Dictionary<string, object?>(command.Variables ?? new Dictionary<string, object?>());
            foreach (var (name, value) in added) merged[name] = value;
            variables = merged;
        }
        var output = Variables.ToJson(variables);
        if (MissingRequiredFields(item, output) is { Count: > 0 } missing)
            return WorkflowResult.Invalid("Required fields are missing.", missing.Select(f => new ValidationProblem(f, $"'{f}' is required.")).ToList());
        var run = await session.AdoptAsync(loaded.Instance, ct);
        var token = run.State.Tokens.FirstOrDefault(t => t.Id == item.TokenId && t.ElementId == item.ElementId && t.Status == TokenStatus.Waiting);
        if (token is null) return WorkflowResult.Conflicted("The task is no longer waiting.", await WhoWonAsync(item.Id, ct));

        item.Status = WorkItemStatus.Completed;
        item.Assignee ??= command.User.Id;
        item.CompletedBy = command.User.Id;
        item.CompletedAt = session.Now;
        await session.ResumeAsync(run, token, output, ct);
        await session.DrainAsync(ct);
        var failed = await session.CommitAsync(command.CommandId, null, () => WhoWonAsync(item.Id, ct), ct);
        attempt.Again = failed is { Outcome: WorkflowOutcome.Conflict };
        return failed ?? WorkflowResult.Ok();
    }

    public async Task<WorkflowResult<int>> CorrelateMessageAsync(string messageName, string? correlationKey, IReadOnlyDictionary<string, object?>? variables = null, string? commandId = null, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        List<MessageSubscription> subscriptions;
        await using (var db = services.DbFactory.Create())
            subscriptions = await db.Set<MessageSubscription>().AsNoTracking()
                .Where(s => s.MessageName == messageName && s.CorrelationKey == correlationKey).ToListAsync(ct);

        var reached = 0;
        WorkflowResult? lastFailure = null;
        foreach (var subscription in subscriptions)
        {
            await using var session = await CommandSession.OpenAsync(services, null);
            var id = commandId is null ? null : $"{commandId}/{subscription.InstanceId:N}";
            if (id is not null && await EngineServices.IsProcessedAsync(session.Db, id, ct)) continue;
            var stored = await session.Db.Set<MessageSubscription>().FirstOrDefaultAsync(s => s.Id == subscription.Id, ct);
            var run = await session.LoadAsync(subscription.InstanceId, ct);
            if (stored is not null && run is { Entity.Status: InstanceStatus.Running } && EventSubProcessStart(run, subscription.TokenId, subscription.ElementId) is var (eventSubProcess, start))
            {
                // An event sub-process's message start: an interrupting one withdraws its subscription with the others.
                await session.TriggerEventSubProcessAsync(run, eventSubProcess, start, null, Variables.ToJson(variables), ct);
                await session.DrainAsync(ct);
                lastFailure = await session.CommitAsync(id, onCommit, () => LastActorAsync(run.Entity.Id, ct), ct);
                if (lastFailure is null) reached++;
                continue;
            }
            var token = run?.State.Tokens.FirstOrDefault(t => t.Id == subscription.TokenId && t.Status == TokenStatus.Waiting
                && (t.ElementId == subscription.ElementId || run.Model.Nodes[t.ElementId] is Elements.Gateways.EventBasedGateway));
            if (stored is null || run is null || token is null) continue;
            session.Db.Remove(stored);
            if (token.ElementId == subscription.ElementId) await session.ResumeAsync(run, token, Variables.ToJson(variables), ct);
            else await session.PassEventGatewayAsync(run, token, subscription.ElementId, Variables.ToJson(variables), ct);
            await session.DrainAsync(ct);
            lastFailure = await session.CommitAsync(id, onCommit, () => LastActorAsync(run.Entity.Id, ct), ct);
            if (lastFailure is null) reached++;
        }

        if (subscriptions.Count == 0)
            foreach (var (definition, model, start) in await MessageStartsAsync(messageName, ct))
            {
                await using var session = await CommandSession.OpenAsync(services, null);
                var id = commandId is null ? null : $"{commandId}/start/{definition.ProcessId}";
                if (id is not null && await EngineServices.IsProcessedAsync(session.Db, id, ct)) continue;
                session.CreateInstance(definition, model, start, correlationKey, correlationKey, Variables.ToJson(variables), null);
                await session.DrainAsync(ct);
                lastFailure = await session.CommitAsync(id, onCommit, () => Task.FromResult<ConflictInfo?>(null), ct);
                if (lastFailure is null) reached++;
            }

        if (reached > 0 || lastFailure is null && subscriptions.Count > 0) return new(WorkflowOutcome.Ok, reached);
        return lastFailure is not null
            ? WorkflowResult<int>.From(lastFailure, 0)
            : WorkflowResult<int>.From(WorkflowResult.NotFound($"No instance waits for message '{messageName}' with key '{correlationKey}', and no process starts with it."), 0);
    }

    private async Task<List<(WorkflowDefinition, ProcessModel, StartEvent)>> MessageStartsAsync(string messageName, CancellationToken ct)
    {
        await using var db = services.DbFactory.Create();
        var published = await db.Set<WorkflowDefinition>().AsNoTracking().Where(d => d.Status == DefinitionStatus.Published).ToListAsync(ct);
        return published
            .GroupBy(d => d.ProcessId)
            .Select(g => g.MaxBy(d => d.Version)!)
            .Select(d => (Definition: d, Model: services.Definitions.Model(d)))
            .SelectMany(x => x.Model.StartEvents.Where(s => s.MessageName == messageName).Take(1).Select(s => (x.Definition, x.Model, s)))
            .ToList();
    }

    public async Task<WorkflowResult> FireTimerAsync(Guid timerId, CancellationToken ct = default)
    {
        await using var session = await CommandSession.OpenAsync(services, null);
        var timer = await session.Db.Set<WorkflowTimer>().FirstOrDefaultAsync(t => t.Id == timerId, ct);
        if (timer is null) return WorkflowResult.NotFound("The timer does not exist.");
        if (timer.Status != TimerStatus.Scheduled) return WorkflowResult.Ok();
        if (timer.DueAt > session.Now)
        {
            // Woken early: set the alarm again for the real due time (set-based: it may fire meanwhile).
            var jobId = services.Scheduler.ScheduleTimer(timer.Id, timer.DueAt);
            await services.Gate.RunAsync(async () => await session.Db.Set<WorkflowTimer>().Where(t => t.Id == timerId && t.Status == TimerStatus.Scheduled)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), ct), ct);
            return WorkflowResult.Ok();
        }
        if (timer.DefinitionId is { } definitionId) return await StartTimers.FireAsync(services, session, timer, definitionId, ct);

        timer.Status = TimerStatus.Fired;
        var run = await session.LoadAsync(timer.InstanceId, ct);
        if (run is { Entity.Status: InstanceStatus.Running } && EventSubProcessStart(run, timer.TokenId, timer.ElementId) is var (eventSubProcess, start))
        {
            await session.TriggerEventSubProcessAsync(run, eventSubProcess, start, timer, null, ct);
            await session.DrainAsync(ct);
            return await session.CommitAsync(null, null, () => LastActorAsync(timer.InstanceId, ct), ct) ?? WorkflowResult.Ok();
        }
        var token = run?.State.Tokens.FirstOrDefault(t => t.Id == timer.TokenId && t.Status == TokenStatus.Waiting);
        if (run is not null && token is not null && run.Entity.Status == InstanceStatus.Running)
        {
            switch (run.Model.Nodes.GetValueOrDefault(timer.ElementId))
            {
                case TimerCatchEvent when token.ElementId == timer.ElementId:
                    await session.ResumeAsync(run, token, null, ct);
                    break;
                case TimerCatchEvent when run.Model.Nodes[token.ElementId] is Elements.Gateways.EventBasedGateway:
                    await session.PassEventGatewayAsync(run, token, timer.ElementId, null, ct);
                    break;
                case BoundaryTimerEvent { CancelActivity: true } boundary when token.ElementId == boundary.AttachedToId:
                    await session.CancelBookmarksAsync(run, token, ct);
                    session.Journal(run, token.ElementId, JournalKind.Cancelled, detail: $"Interrupted by timer '{boundary.Id}'.");
                    token.ElementId = boundary.Id;
                    token.ArrivedVia = null;
                    token.Loop = null; // an interrupted multi-instance body is a plain token again
                    token.Locals = null;
                    token.Status = TokenStatus.Active;
                    run.Queue.Enqueue(token);
                    break;
                case BoundaryTimerEvent boundary when token.ElementId == boundary.AttachedToId:
                    run.Queue.Enqueue(session.NewToken(run, boundary.Id, token.ParentId));
                    if (timer.RemainingRepeats != 0 && timer.RepeatInterval is not null && TimerSpec.TryDuration(timer.RepeatInterval, out var interval))
                        session.AddTimer(run, token.Id, boundary.Id, timer.DueAt + interval,
                            (timer.RemainingRepeats < 0 ? -1 : timer.RemainingRepeats - 1, timer.RepeatInterval));
                    break;
            }
            await session.DrainAsync(ct);
        }
        return await session.CommitAsync(null, null, () => LastActorAsync(timer.InstanceId, ct), ct) ?? WorkflowResult.Ok();
    }

    public async Task<WorkflowResult> CancelAsync(Guid instanceId, string reason, string? userId = null, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        if (string.IsNullOrWhiteSpace(reason)) return WorkflowResult.Invalid("Give a reason for cancelling.");
        await using var session = await CommandSession.OpenAsync(services, userId);
        var run = await session.LoadAsync(instanceId, ct);
        if (run is null) return WorkflowResult.NotFound("The process instance does not exist.");
        if (run.Entity.Status != InstanceStatus.Running)
            return WorkflowResult.Conflicted($"The instance has already ended ({run.Entity.Status}).", await LastActorAsync(instanceId, ct));
        await session.CancelInstanceAsync(run, reason, ct);
        return await session.CommitAsync(null, onCommit, () => LastActorAsync(instanceId, ct), ct) ?? WorkflowResult.Ok();
    }

    public async Task<WorkflowResult> RetryIncidentAsync(Guid incidentId, string? userId = null, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        await using var session = await CommandSession.OpenAsync(services, userId);
        var incident = await session.Db.Set<Incident>().FirstOrDefaultAsync(i => i.Id == incidentId, ct);
        if (incident is null) return WorkflowResult.NotFound("The incident does not exist.");
        if (incident.ResolvedAt is not null) return WorkflowResult.Conflicted("The incident was already resolved.", new(incident.ResolvedBy, incident.ResolvedAt));
        var run = await session.LoadAsync(incident.InstanceId, ct);
        if (run is null) return WorkflowResult.NotFound("The process instance does not exist.");

        incident.ResolvedAt = session.Now;
        incident.ResolvedBy = userId;
        run.Entity.OpenIncidents = Math.Max(0, run.Entity.OpenIncidents - 1);
        session.Journal(run, incident.ElementId, JournalKind.IncidentResolved, detail: "Retried.");
        if (incident.OutboxEntryId is { } entryId)
        {
            var entry = await session.Db.Set<OutboxEntry>().FirstAsync(o => o.Id == entryId, ct);
            entry.Status = OutboxStatus.Pending;
            entry.Attempts = 0;
            entry.NextAttemptAt = session.Now;
            session.ScheduleOutbox(entry);
        }
        else if (run.State.Tokens.FirstOrDefault(t => t.Id == incident.TokenId && t.Status == TokenStatus.Incident) is { } token)
        {
            token.Status = TokenStatus.Active;
            run.Queue.Enqueue(token);
            await session.DrainAsync(ct);
        }
        return await session.CommitAsync(null, onCommit, () => Task.FromResult<ConflictInfo?>(new(incident.ResolvedBy, incident.ResolvedAt)), ct) ?? WorkflowResult.Ok();
    }

    public async Task<Page<WorkItemView>> GetTasksForUserAsync(WorkflowUser user, int pageNumber = 1, int pageSize = 20, CancellationToken ct = default)
    {
        pageNumber = Math.Max(1, pageNumber);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var db = context.Db;
        var mine = Inbox(db, user);
        var rows = await mine.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id)
            .Skip((pageNumber - 1) * pageSize).Take(pageSize + 1).ToListAsync(ct);
        return new(rows.Take(pageSize).Select(View).ToList(), pageNumber, pageSize, rows.Count > pageSize);
    }

    /// <summary>Open items assigned to the user or unassigned in one of the user's roles (served by the partial index on open items).</summary>
    internal static IQueryable<WorkItem> Inbox(DbContext db, WorkflowUser user)
    {
        var open = db.Set<WorkItem>().AsNoTracking().Where(w => w.Status == WorkItemStatus.Open);
        var mine = open.Where(w => w.Assignee == user.Id);
        foreach (var role in user.Roles.Distinct())
        {
            var pattern = "%|" + role + "|%";
            mine = mine.Union(open.Where(w => w.Assignee == null && EF.Functions.Like(w.CandidateRoles, pattern)));
        }
        foreach (var name in new[] { user.Id, user.Name }.OfType<string>().Distinct())
        {
            var pattern = "%|" + name + "|%";
            mine = mine.Union(open.Where(w => w.Assignee == null && w.CandidateUsers != "" && EF.Functions.Like(w.CandidateUsers, pattern)));
        }
        return mine;
    }

    public async Task<WorkItemView?> GetTaskAsync(Guid taskId, CancellationToken ct = default)
    {
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var db = context.Db;
        var item = await db.Set<WorkItem>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == taskId, ct);
        return item is null ? null : View(item);
    }

    public async Task<IReadOnlyList<WorkItemView>> GetTasksOfInstanceAsync(Guid instanceId, CancellationToken ct = default)
    {
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var db = context.Db;
        var items = new List<WorkItemView>();
        await foreach (var item in HotQueries.TasksOfInstance(db, instanceId).WithCancellation(ct)) items.Add(View(item));
        return items;
    }

    public async Task<InstanceView?> GetInstanceAsync(Guid instanceId, CancellationToken ct = default)
    {
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var db = context.Db;
        var entity = await db.Set<WorkflowInstance>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct);
        if (entity is null) return null;
        var incidents = entity.OpenIncidents == 0 ? [] : await db.Set<Incident>().AsNoTracking()
            .Where(i => i.InstanceId == instanceId && i.ResolvedAt == null)
            .Select(i => new IncidentView(i.Id, i.ElementId, i.Kind, i.Message, i.CreatedAt)).ToListAsync(ct);
        var state = InstanceState.Parse(entity.StateJson);
        return new InstanceView(entity.Id, entity.ProcessId, entity.DefinitionVersion, entity.Status, entity.BusinessKey, entity.CorrelationKey,
            entity.ParentInstanceId, state.ActiveElementIds(), Variables.ToDictionary(state.Variables),
            incidents, entity.CreatedAt, entity.EndedAt, entity.Version);
    }

    public async Task<IReadOnlyList<JournalView>> GetJournalAsync(Guid instanceId, CancellationToken ct = default)
    {
        await using var context = await EngineContext.OpenAsync(services.DbFactory, ct);
        var db = context.Db;
        return await db.Set<JournalEntry>().AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Id)
            .Select(j => new JournalView(j.Id, j.ElementId, j.Kind, j.UserId, j.At, j.VariablesJson, j.Detail)).ToListAsync(ct);
    }

    // The event sub-process whose start a bookmark with no token (timer row or subscription) belongs to.
    private static (Elements.Tasks.EventSubProcess, StartEvent)? EventSubProcessStart(InstanceRun run, string tokenId, string elementId) =>
        tokenId == CommandSession.EventSubProcessTrigger
        && run.Model.Nodes.GetValueOrDefault(elementId) is StartEvent { ScopeId: { } scopeId } start
        && run.Model.Nodes.GetValueOrDefault(scopeId) is Elements.Tasks.EventSubProcess eventSubProcess
            ? (eventSubProcess, start) : null;

    private static bool MayWork(WorkItem item, WorkflowUser user) => user.IsCandidate(item.CandidateRoles, item.CandidateUsers);

    private static List<string> MissingRequiredFields(WorkItem item, JsonObject output)
    {
        if (item.FormFieldsJson is null) return [];
        var fields = JsonSerializer.Deserialize<List<FormField>>(item.FormFieldsJson) ?? [];
        return fields.Where(f => f.Required && (!output.TryGetPropertyValue(f.Id, out var v) || v is null || v.ToString().Length == 0)).Select(f => f.Id).ToList();
    }

    private static WorkflowResult Finished(WorkItem item) => WorkflowResult.Conflicted(
        item.Status == WorkItemStatus.Completed
            ? $"This step was already completed by {item.CompletedBy} at {item.CompletedAt:u}."
            : "This step was cancelled.",
        new(item.CompletedBy, item.CompletedAt));

    private async Task<ConflictInfo?> WhoWonAsync(Guid taskId, CancellationToken ct)
    {
        await using var db = services.DbFactory.Create();
        var item = await db.Set<WorkItem>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == taskId, ct);
        if (item is { CompletedBy: not null }) return new(item.CompletedBy, item.CompletedAt);
        return item is null ? null : await LastActorAsync(item.InstanceId, ct);
    }

    private Task<ConflictInfo?> LastActorAsync(Guid instanceId, CancellationToken ct) => services.LastActorAsync(instanceId, ct);

    private static WorkItemView View(WorkItem w) => new(
        w.Id, w.InstanceId, w.ElementId, w.Name, w.FormKey,
        w.FormFieldsJson is null ? [] : JsonSerializer.Deserialize<List<FormField>>(w.FormFieldsJson) ?? [],
        w.Assignee, w.CandidateRoles.Split('|', StringSplitOptions.RemoveEmptyEntries), w.DueAt, w.Status,
        w.CreatedAt, w.CompletedBy, w.CompletedAt, w.BusinessKey, w.CandidateUsers.Split('|', StringSplitOptions.RemoveEmptyEntries));
}
