using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

internal sealed class WorkflowDefinitions(IWorkflowDbContextFactory dbFactory, BpmnParser parser, WorkflowRegistry registry, IEnumerable<IProcessRule> rules,
    TimeProvider clock, CommitGate gate) : IWorkflowDefinitions
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

    public async Task<WorkflowResult<DefinitionView>> SaveDraftAsync(string xml, CancellationToken ct = default)
    {
        var parsed = parser.Parse(xml);
        if (parsed.Model is null)
            return WorkflowResult<DefinitionView>.From(WorkflowResult.Invalid("The document cannot be read.", parsed.Problems));
        await using var db = dbFactory.Create();
        var now = clock.GetUtcNow().UtcDateTime;
        var draft = await db.Set<WorkflowDefinition>().FirstOrDefaultAsync(d => d.ProcessId == parsed.Model.ProcessId && d.Version == 0, ct);
        if (draft is null)
        {
            draft = new WorkflowDefinition { Id = Guid.CreateVersion7(), ProcessId = parsed.Model.ProcessId, Status = DefinitionStatus.Draft };
            db.Add(draft);
        }
        draft.Name = parsed.Model.Name;
        draft.Xml = xml;
        draft.Hash = Hash(xml);
        draft.CreatedAt = now;
        try
        {
            await gate.RunAsync(async () => await db.SaveChangesAsync(ct), ct);
        }
        catch (DbUpdateException)
        {
            return WorkflowResult<DefinitionView>.From(WorkflowResult.Conflicted("Someone saved a draft of this process at the same time; reload and try again.", null));
        }
        return new(WorkflowOutcome.Ok, View(draft)) { Problems = parsed.Problems };
    }

    public async Task<WorkflowResult<DefinitionView>> PublishAsync(string processId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var draft = await db.Set<WorkflowDefinition>().FirstOrDefaultAsync(d => d.ProcessId == processId && d.Version == 0, ct);
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
        };
        db.Add(published);
        db.Remove(draft);
        try
        {
            await gate.RunAsync(async () => await db.SaveChangesAsync(ct), ct);
        }
        catch (DbUpdateException)
        {
            return WorkflowResult<DefinitionView>.From(WorkflowResult.Conflicted("This process was published by someone else at the same time.", null));
        }
        return new(WorkflowOutcome.Ok, View(published)) { Problems = problems };
    }

    public async Task<IReadOnlyList<DefinitionView>> ListAsync(string? processId = null, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var query = db.Set<WorkflowDefinition>().AsNoTracking();
        if (processId is not null) query = query.Where(d => d.ProcessId == processId);
        return await query.OrderBy(d => d.ProcessId).ThenByDescending(d => d.Version == 0).ThenByDescending(d => d.Version)
            .Select(d => new DefinitionView(d.Id, d.ProcessId, d.Name, d.Version, d.Status, d.Hash, d.CreatedAt, d.PublishedAt))
            .ToListAsync(ct);
    }

    private static DefinitionView View(WorkflowDefinition d) => new(d.Id, d.ProcessId, d.Name, d.Version, d.Status, d.Hash, d.CreatedAt, d.PublishedAt);

    private static string Hash(string xml) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));
}
