using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Studio;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Pages.Admin.Workflows;

/// <summary>
/// Migration of running instances from one published version of a process to another: the mapping of the elements where
/// they wait (by id, editable), a dry run listing each instance as migratable or not with the reason, and the migration in
/// batches of <see cref="BatchSize"/>; each instance is one engine command with its audit entry (docs/studio.md, Migration).
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class MigrateModel(IWorkflowDefinitions definitions, IInstanceChanges changes, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int BatchSize = 50;
    public const int DryRunLimit = 200;

    public sealed record ProcessChoice(string ProcessId, string? Name, IReadOnlyList<int> Versions);

    /// <summary>Where a batched migration stands: instances running on the old version when it began, migrated and refused so far, the last one tried.</summary>
    public sealed record Progress(int Total, int Migrated, int Refused, Guid? After, bool Done);

    [BindProperty(SupportsGet = true)] public string? Process { get; set; }
    [BindProperty(SupportsGet = true)] public int? From { get; set; }
    [BindProperty(SupportsGet = true)] public int? To { get; set; }
    /// <summary>Old element id → new element id ("" for none), as the mapping table posts it.</summary>
    [BindProperty] public Dictionary<string, string> Mapping { get; set; } = [];

    public IReadOnlyList<ProcessChoice> Processes { get; private set; } = [];
    public ProcessChoice? Chosen { get; private set; }
    public MigrationPlanView? Plan { get; private set; }
    public IReadOnlyList<MigrationCheck>? DryRun { get; private set; }
    public Progress? Batch { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(null, ct);

    public async Task<IActionResult> OnPostDryRunAsync(CancellationToken ct)
    {
        if (await LoadAsync(Mapping, ct) is { } plan) DryRun = await changes.DryRunAsync(plan, null, DryRunLimit, ct);
        return Page();
    }

    /// <summary>One batch: the next <see cref="BatchSize"/> instances after <paramref name="after"/>, each migrated in its own command (or counted as refused).</summary>
    public async Task<IActionResult> OnPostMigrateAsync(int total, int migrated, int refused, Guid? after, CancellationToken ct)
    {
        if (await LoadAsync(Mapping, ct) is not { } plan) return Page();
        var user = User.Identity?.Name;
        var checks = await changes.DryRunAsync(plan, after, BatchSize, ct);
        foreach (var check in checks)
        {
            var result = check.Migratable
                ? await changes.MigrateAsync(check.InstanceId, plan, user, ct, (context, _) =>
                {
                    audit.Add(context, AuditEvents.InstanceMigrated, user, $"instance {check.InstanceId}: {plan.ProcessId} v{plan.FromVersion} to v{plan.ToVersion}");
                    return Task.CompletedTask;
                })
                : null;
            if (result?.IsOk == true) migrated++;
            else refused++;
        }
        Batch = new(total > 0 ? total : Plan!.RunningInstances, migrated, refused, checks.Count > 0 ? checks[^1].InstanceId : after, checks.Count < BatchSize);
        if (Batch.Done) await LoadAsync(Mapping, ct); // the mapping table now counts what is left on the old version
        return Page();
    }

    /// <summary>The process choices, and the plan for the chosen process and versions (with <paramref name="overrides"/>); null when none can be made.</summary>
    private async Task<MigrationPlan?> LoadAsync(IReadOnlyDictionary<string, string>? overrides, CancellationToken ct)
    {
        Processes = (await definitions.ListAsync(null, ct)).Where(d => d.Status == DefinitionStatus.Published)
            .GroupBy(d => d.ProcessId)
            .Select(g => new ProcessChoice(g.Key, g.First().Name, g.Select(d => d.Version).OrderBy(v => v).ToList()))
            .Where(p => p.Versions.Count > 1).ToList();
        Chosen = Processes.FirstOrDefault(p => p.ProcessId == Process);
        if (Chosen is null) return null;
        To ??= Chosen.Versions[^1];
        From ??= Chosen.Versions.LastOrDefault(v => v < To, Chosen.Versions[0]);
        var plan = await changes.PlanAsync(Chosen.ProcessId, From.Value, To.Value, overrides, ct);
        if (!plan.IsOk)
        {
            // The lists offer only elements of the two versions: another one is a forged (or stale) form.
            if (overrides is not null) await audit.WriteAsync(AuditEvents.RejectedInput, User.Identity?.Name, $"migration of {Chosen.ProcessId}: {plan.Message}", ct);
            Error = !Chosen.Versions.Contains(From.Value) || !Chosen.Versions.Contains(To.Value) ? l["Choose two published versions of the process."].Value
                : From == To ? l["Choose two different versions."].Value
                : l["The mapping names an element the versions do not have; choose from the lists."].Value;
            return null;
        }
        Plan = plan.Value;
        return Plan!.Plan;
    }

    public string Label(string? name, string id) => ElementLabel.Of(l, name, id);

    /// <summary>An element of the old version where instances wait, by its id.</summary>
    public string SourceLabel(string id) => Plan?.Sources.FirstOrDefault(s => s.Element.Id == id) is { } source ? Label(source.Element.Name, id) : id;

    /// <summary>Why an instance is not migrated, in the reader's language.</summary>
    public string Reason(MigrationRefusal refusal)
    {
        var element = refusal.ElementId is null ? "" : Label(refusal.ElementName, refusal.ElementId);
        var target = refusal.TargetId ?? "";
        return refusal.Kind switch
        {
            MigrationRefusalKind.NotOnVersion => l["The instance is no longer running on version {0}.", From ?? 0].Value,
            MigrationRefusalKind.OpenIncident => l["The instance has open incidents; retry or resolve them first."].Value,
            MigrationRefusalKind.ElementMissing => l["Waiting at {0}, which version {1} does not have and no mapping names.", element, To ?? 0].Value,
            MigrationRefusalKind.DifferentKind => l["{0} is mapped to '{1}', another kind of element.", element, target].Value,
            MigrationRefusalKind.MultiInstance => l["{0} or '{1}' is multi-instance; such instances are not migrated.", element, target].Value,
            MigrationRefusalKind.ScopeChanged => l["{0} is mapped to '{1}', which lies in another sub-process.", element, target].Value,
            MigrationRefusalKind.EventGateway => l["Waiting at the event-based gateway {0}; such instances are not migrated.", element].Value,
            MigrationRefusalKind.JoinChanged => l["Waiting at the join {0} by a flow that does not lead to '{1}' in version {2}.", element, target, To ?? 0].Value,
            MigrationRefusalKind.TopicChanged => l["{0} waits for its handler, and '{1}' calls another topic.", element, target].Value,
            MigrationRefusalKind.CalledProcessChanged => l["{0} waits for a called process, and '{1}' calls another process.", element, target].Value,
            MigrationRefusalKind.InEventSubProcess => l["{0} runs in an event sub-process; such instances are not migrated.", element].Value,
            MigrationRefusalKind.NotWaiting => l["The token at {0} is not waiting.", element].Value,
            _ => l["The new version's element could not be prepared: {0}", refusal.Message].Value,
        };
    }
}
