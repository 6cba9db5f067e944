using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

internal sealed class WorkflowDefinitions(IWorkflowDbContextFactory dbFactory, BpmnParser parser, WorkflowRegistry registry, IEnumerable<IProcessRule> rules,
    TimeProvider clock, CommitGate gate, IWorkflowJobScheduler scheduler, WorkflowOptions options, ILogger<WorkflowDefinitions> logger) : IWorkflowDefinitions
{
    public async Task<IReadOnlyList<ValidationProblem>> ValidateAsync(string xml, CancellationToken ct = default)
    {
        var parsed = parser.Parse(xml);
        if (parsed.Model is null) return parsed.Problems;
        await using var db = dbFactory.Create();
        var published = await db.Set<WorkflowDefinition>().AsNoTracking()
            .Where(d => d.Status == DefinitionStatus.Published).Select(d => d.ProcessId).Distinct().ToListAsync(ct);
        var context = new ValidationContext(registry.IsKnownTopic, registry.IsKnownFormKey, published.ToHashSet().Contains);
        return [.. parsed.Problems, .. ProcessValidator.Validate(parsed.Model, context), .. ProcessValidator.CheckRules(parsed.Model, rules)];
    }

    public Task<WorkflowResult<DefinitionView>> SaveDraftAsync(string xml, CancellationToken ct = default) => SaveDraftAsync(xml, null, null, ct);

    public async Task<WorkflowResult<DefinitionView>> SaveDraftAsync(string xml, string? userId, string? expectedToken, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        var parsed = parser.Parse(xml);
        if (parsed.Model is null)
            return WorkflowResult<DefinitionView>.From(WorkflowResult.Invalid("The document cannot be read.", parsed.Problems));
        await using var db = dbFactory.Create();
        var now = clock.GetUtcNow().UtcDateTime;
        var draft = await db.Set<WorkflowDefinition>().FirstOrDefaultAsync(d => d.ProcessId == parsed.Model.ProcessId && d.Version == 0, ct);
        if (await StaleAsync(db, parsed.Model.ProcessId, draft, expectedToken, ct) is { } stale) return stale;
        if (draft is null)
        {
            draft = new WorkflowDefinition { Id = Guid.CreateVersion7(), ProcessId = parsed.Model.ProcessId, Status = DefinitionStatus.Draft };
            db.Add(draft);
        }
        draft.Name = parsed.Model.Name;
        draft.Xml = xml;
        draft.Hash = Hash(xml);
        draft.CreatedAt = now;
        draft.ChangedBy = userId;
        try
        {
            if (onCommit is not null) await onCommit(db, ct);
            await gate.RunAsync(async () => await db.SaveChangesAsync(ct), ct);
        }
        catch (DbUpdateException)
        {
            return await ConflictAsync(parsed.Model.ProcessId, ct);
        }
        return new(WorkflowOutcome.Ok, View(draft)) { Problems = parsed.Problems };
    }

    public Task<WorkflowResult<DefinitionView>> PublishAsync(string processId, CancellationToken ct = default) => PublishAsync(processId, null, null, ct);

    public async Task<WorkflowResult<DefinitionView>> PublishAsync(string processId, string? userId, string? expectedToken, CancellationToken ct = default, OnCommit? onCommit = null)
    {
        await using var db = dbFactory.Create();
        var draft = await db.Set<WorkflowDefinition>().FirstOrDefaultAsync(d => d.ProcessId == processId && d.Version == 0, ct);
        if (expectedToken is not null && await StaleAsync(db, processId, draft, expectedToken, ct) is { } stale) return stale;
        if (draft is null) return WorkflowResult<DefinitionView>.From(WorkflowResult.NotFound($"Process '{processId}' has no draft to publish."));
        var problems = await ValidateAsync(draft.Xml, ct);
        var errors = problems.Count(p => p.IsError);
        if (errors > 0)
            return WorkflowResult<DefinitionView>.From(WorkflowResult.Invalid($"The draft has {errors} problem(s); fix them and publish again.", problems));

        var latest = await db.Set<WorkflowDefinition>().Where(d => d.ProcessId == processId).MaxAsync(d => (int?)d.Version, ct) ?? 0;
        var published = new WorkflowDefinition
        {
            Id = Guid.CreateVersion7(),
            ProcessId = processId,
            Name = draft.Name,
            Version = latest + 1,
            Status = DefinitionStatus.Published,
            Xml = draft.Xml,
            Hash = draft.Hash,
            CreatedAt = draft.CreatedAt,
            PublishedAt = clock.GetUtcNow().UtcDateTime,
            ChangedBy = userId ?? draft.ChangedBy,
        };
        db.Add(published);
        db.Remove(draft);
        var startTimers = await StartTimers.ArmAsync(db, published, parser.Parse(draft.Xml).Model!, published.PublishedAt.Value, ct);
        try
        {
            if (onCommit is not null) await onCommit(db, ct);
            await gate.RunAsync(async () => await db.SaveChangesAsync(ct), ct);
        }
        catch (DbUpdateException)
        {
            return expectedToken is null
                ? WorkflowResult<DefinitionView>.From(WorkflowResult.Conflicted("This process was published by someone else at the same time.", null))
                : await ConflictAsync(processId, ct);
        }
        await WakeAsync(startTimers, ct);
        return new(WorkflowOutcome.Ok, View(published)) { Problems = problems };
    }

    // Wake-ups for start timers due within the sweep horizon; later ones (and any that fail here) the sweep arms.
    private async Task WakeAsync(List<WorkflowTimer> timers, CancellationToken ct)
    {
        var horizon = clock.GetUtcNow().UtcDateTime + TimerSweeper.Horizon(options);
        try
        {
            foreach (var timer in timers.Where(t => t.DueAt <= horizon))
            {
                var jobId = scheduler.ScheduleTimer(timer.Id, timer.DueAt);
                await using var db = dbFactory.Create();
                await gate.RunAsync(async () => await db.Set<WorkflowTimer>().Where(t => t.Id == timer.Id && t.Status == TimerStatus.Scheduled)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), ct), ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Scheduling timer start wake-ups after a publish failed; the timer sweep will arm them.");
        }
    }

    // The draft (or the version without a draft) the caller started from is no longer the current one: name who changed it and when.
    private async Task<WorkflowResult<DefinitionView>?> StaleAsync(DbContext db, string processId, WorkflowDefinition? draft, string? expectedToken, CancellationToken ct)
    {
        if (expectedToken is null) return null;
        var current = draft?.Hash ?? DefinitionView.NoDraftToken(
            await db.Set<WorkflowDefinition>().Where(d => d.ProcessId == processId).MaxAsync(d => (int?)d.Version, ct) ?? 0);
        return current == expectedToken ? null : await ConflictAsync(processId, ct);
    }

    private async Task<WorkflowResult<DefinitionView>> ConflictAsync(string processId, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        var last = await db.Set<WorkflowDefinition>().AsNoTracking().Where(d => d.ProcessId == processId)
            .OrderBy(d => d.Version == 0 ? 0 : 1).ThenByDescending(d => d.Version).FirstOrDefaultAsync(ct);
        var message = last is { Version: 0 }
            ? "Someone else saved this draft since you opened it; reload to see their changes."
            : "This draft was published or discarded since you opened it; reload to continue from the current version.";
        return WorkflowResult<DefinitionView>.From(WorkflowResult.Conflicted(message, last is null ? null : new(last.ChangedBy, last.PublishedAt ?? last.CreatedAt)), last is null ? null : View(last));
    }

    public async Task<IReadOnlyList<DefinitionView>> ListAsync(string? processId = null, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var query = db.Set<WorkflowDefinition>().AsNoTracking();
        if (processId is not null) query = query.Where(d => d.ProcessId == processId);
        return await query.OrderBy(d => d.ProcessId).ThenByDescending(d => d.Version == 0).ThenByDescending(d => d.Version)
            .Select(d => new DefinitionView(d.Id, d.ProcessId, d.Name, d.Version, d.Status, d.Hash, d.CreatedAt, d.PublishedAt) { ChangedBy = d.ChangedBy })
            .ToListAsync(ct);
    }

    private static DefinitionView View(WorkflowDefinition d) => new(d.Id, d.ProcessId, d.Name, d.Version, d.Status, d.Hash, d.CreatedAt, d.PublishedAt) { ChangedBy = d.ChangedBy };

    private static string Hash(string xml) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));
}
