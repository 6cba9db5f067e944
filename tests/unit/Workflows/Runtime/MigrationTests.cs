using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>
/// Given instances of migrate-v1 (Vent → Review with a 4-hour SLA → Close with an 8-hour reminder) and a published version 2
/// (Vent removed, Review renamed for Handlers and Supervisors, a Quality check after it, Close with a 1-hour deadline instead),
/// When an admin plans, dry-runs and migrates, Then what can move moves and what cannot stays exactly as it was.
/// </summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public MigrationTests() => host = new WorkflowTestHost(clock: clock);

    private IInstanceChanges Changes => host.Services.GetRequiredService<IInstanceChanges>();

    public Task InitializeAsync() => host.PublishAsync("migrate-v1.bpmn");

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<Guid> StartAtAsync(params string[] complete)
    {
        var id = await host.StartAsync("migrate");
        foreach (var element in complete) Assert.True((await host.CompleteAsync(id, element)).IsOk);
        return id;
    }

    private async Task<MigrationPlan> PlanAsync(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var plan = await Changes.PlanAsync("migrate", 1, 2, overrides);
        Assert.True(plan.IsOk, plan.Message);
        return plan.Value!.Plan;
    }

    private Task<WorkflowInstance> RowAsync(Guid id) => host.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(i => i.Id == id));

    private Task<List<WorkflowTimer>> TimersAsync(Guid id) => host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id).ToListAsync());

    [Fact]
    public async Task Plan_MapsActiveElementsById_AndTheDryRunReportsAnInstanceAtARemovedElement_WhichStaysUnchanged()
    {
        var atVent = await StartAtAsync();
        var atReview = await StartAtAsync("Vent");
        await host.PublishAsync("migrate-v2.bpmn");

        var plan = await Changes.PlanAsync("migrate", 1, 2);

        Assert.True(plan.IsOk, plan.Message);
        Assert.Equal(2, plan.Value!.RunningInstances);
        Assert.Equal([("Vent", 1, (string?)null), ("Review", 1, "Review")], plan.Value.Sources.Select(s => (s.Element.Id, s.Instances, s.TargetId)));
        Assert.Contains(plan.Value.TargetElements, e => e is { Id: "Check", Name: "Quality check", ElementType: "userTask" });

        var checks = await Changes.DryRunAsync(plan.Value.Plan);
        var vent = checks.Single(c => c.InstanceId == atVent);
        Assert.False(vent.Migratable);
        Assert.Equal(MigrationRefusalKind.ElementMissing, vent.Refusal!.Kind);
        Assert.Equal(("Vent", "Let the customer vent"), (vent.Refusal.ElementId, vent.Refusal.ElementName));
        Assert.Equal("Waiting at 'Let the customer vent' (Vent), which version 2 does not have and no mapping names.", vent.Refusal.Message);
        Assert.True(checks.Single(c => c.InstanceId == atReview).Migratable);

        var before = await RowAsync(atVent);
        var ventTask = await host.OpenTaskAsync(atVent, "Vent");
        var migrated = await Changes.MigrateAsync(atVent, plan.Value.Plan, "admin");

        Assert.Equal(WorkflowOutcome.Invalid, migrated.Outcome);
        Assert.Equal(MigrationRefusalKind.ElementMissing, migrated.Value!.Kind);
        var after = await RowAsync(atVent);
        Assert.Equal((1, before.DefinitionId, before.StateJson, before.Version), (after.DefinitionVersion, after.DefinitionId, after.StateJson, after.Version));
        var still = await host.OpenTaskAsync(atVent, "Vent");
        Assert.Equal((ventTask.Id, ventTask.Name, ventTask.Status), (still.Id, still.Name, still.Status));
        Assert.DoesNotContain(await host.Runtime.GetJournalAsync(atVent), j => j.Kind == JournalKind.Migrated);
    }

    [Fact]
    public async Task Migrate_ById_KeepsTheWorkItemWithItsHolder_TakesTheNewElementsNameAndRoles_AndContinuesOnTheNewFlow()
    {
        var id = await StartAtAsync("Vent");
        var review = await host.OpenTaskAsync(id, "Review");
        Assert.True((await host.Runtime.ClaimAsync(review.Id, WorkflowTestHost.Alice)).IsOk);
        await host.PublishAsync("migrate-v2.bpmn");

        var result = await Changes.MigrateAsync(id, await PlanAsync(), "admin@demo.local");

        Assert.True(result.IsOk, result.Message);
        var instance = (await host.Runtime.GetInstanceAsync(id))!;
        Assert.Equal(2, instance.DefinitionVersion);
        Assert.Equal(["Review"], instance.ActiveElementIds);
        var moved = await host.OpenTaskAsync(id, "Review");
        Assert.Equal((review.Id, "alice", review.DueAt, review.CreatedAt), (moved.Id, moved.Assignee, moved.DueAt, moved.CreatedAt));
        Assert.Equal(("Review the complaint", "complaint-review"), (moved.Name, moved.FormKey));
        Assert.Equal(["Handler", "Supervisor"], moved.CandidateRoles);
        var journal = Assert.Single(await host.Runtime.GetJournalAsync(id), j => j.Kind == JournalKind.Migrated);
        Assert.Equal(("admin@demo.local", "Migrated from version 1 to 2 by admin@demo.local."), (journal.UserId, journal.Detail));

        Assert.True((await host.CompleteAsync(id, "Review")).IsOk);
        Assert.Equal(["Check"], await host.ActiveAsync(id));
        Assert.True((await host.CompleteAsync(id, "Check", WorkflowTestHost.Sam)).IsOk);
        Assert.Equal(["Close"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Migrate_WithAnEditedMapping_MovesTheRemovedElementsTokenToTheNamedOne_AndArmsItsBoundaryTimer()
    {
        var id = await StartAtAsync();
        var vent = await host.OpenTaskAsync(id, "Vent");
        await host.PublishAsync("migrate-v2.bpmn");

        var wrongKind = await PlanAsync(new Dictionary<string, string> { ["Vent"] = "End" });
        var refused = Assert.Single(await Changes.DryRunAsync(wrongKind));
        Assert.Equal(MigrationRefusalKind.DifferentKind, refused.Refusal!.Kind);
        Assert.Equal("End", refused.Refusal.TargetId);

        var unknown = await Changes.PlanAsync("migrate", 1, 2, new Dictionary<string, string> { ["Vent"] = "Nowhere" });
        Assert.Equal(WorkflowOutcome.Invalid, unknown.Outcome);
        Assert.Contains("Nowhere", unknown.Message);

        var plan = await PlanAsync(new Dictionary<string, string> { ["Vent"] = "Review" });
        Assert.Equal("Review", plan.Mapping["Vent"]);
        Assert.True(Assert.Single(await Changes.DryRunAsync(plan)).Migratable);
        Assert.True((await Changes.MigrateAsync(id, plan, "admin")).IsOk);

        Assert.Equal(["Review"], await host.ActiveAsync(id));
        var moved = await host.OpenTaskAsync(id, "Review");
        Assert.Equal((vent.Id, "Review the complaint"), (moved.Id, moved.Name));
        var sla = Assert.Single(await TimersAsync(id));
        Assert.Equal(("Sla", TimerStatus.Scheduled, clock.GetUtcNow().UtcDateTime.AddHours(4)), (sla.ElementId, sla.Status, sla.DueAt));
    }

    [Fact]
    public async Task MigratedInstance_WhoseTimerIsDue_FiresOnce()
    {
        var id = await StartAtAsync("Vent");
        var armed = Assert.Single(await TimersAsync(id));
        await host.PublishAsync("migrate-v2.bpmn");
        clock.Advance(TimeSpan.FromHours(1));

        Assert.True((await Changes.MigrateAsync(id, await PlanAsync(), "admin")).IsOk);
        var kept = Assert.Single(await TimersAsync(id));
        Assert.Equal((armed.Id, "Sla", armed.DueAt, TimerStatus.Scheduled), (kept.Id, kept.ElementId, kept.DueAt, kept.Status));

        clock.Advance(TimeSpan.FromHours(3));
        await host.FireDueTimersAsync(clock);
        Assert.True((await host.Runtime.FireTimerAsync(kept.Id)).IsOk); // a late duplicate wake-up changes nothing

        Assert.Equal(["Escalate"], await host.ActiveAsync(id));
        Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id), t => t.ElementId == "Escalate");
        Assert.Equal(TimerStatus.Fired, Assert.Single(await TimersAsync(id)).Status);
    }

    [Fact]
    public async Task Migrate_CancelsTheTimerOfARemovedBoundaryEvent_AndArmsTheNewElementsOne()
    {
        var id = await StartAtAsync("Vent", "Review");
        await host.PublishAsync("migrate-v2.bpmn");

        Assert.True((await Changes.MigrateAsync(id, await PlanAsync(), "admin")).IsOk);

        var timers = await TimersAsync(id);
        Assert.Equal(TimerStatus.Cancelled, timers.Single(t => t.ElementId == "CloseReminder").Status);
        var deadline = timers.Single(t => t.ElementId == "CloseDeadline");
        Assert.Equal((TimerStatus.Scheduled, clock.GetUtcNow().UtcDateTime.AddHours(1)), (deadline.Status, deadline.DueAt));
        clock.Advance(TimeSpan.FromHours(1));
        await host.FireDueTimersAsync(clock);
        Assert.Equal(["Escalate"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Migrate_OfAnInstanceAlreadyMigrated_IsAConflict_AndChangesNothing()
    {
        var id = await StartAtAsync("Vent");
        await host.PublishAsync("migrate-v2.bpmn");
        var plan = await PlanAsync();
        Assert.True((await Changes.MigrateAsync(id, plan, "ann")).IsOk);
        var row = await RowAsync(id);

        var again = await Changes.MigrateAsync(id, plan, "ben");

        Assert.Equal(WorkflowOutcome.Conflict, again.Outcome);
        Assert.Equal(MigrationRefusalKind.NotOnVersion, again.Value!.Kind);
        Assert.Equal("ann", again.Conflict!.ActedBy);
        Assert.Equal(row.Version, (await RowAsync(id)).Version);
        Assert.Empty(await Changes.DryRunAsync(plan));
    }

    [Fact]
    public async Task DryRun_PagesByInstanceId()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await StartAtAsync());
        await host.PublishAsync("migrate-v2.bpmn");
        var plan = await PlanAsync();

        var first = await Changes.DryRunAsync(plan, limit: 3);
        var second = await Changes.DryRunAsync(plan, first[^1].InstanceId, 3);

        Assert.Equal(3, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Equal(ids.Order(), first.Concat(second).Select(c => c.InstanceId).Order());
    }

    [Fact]
    public async Task Migrate_MovesAMessageWait_ToTheMappedEventAndItsNewMessageName()
    {
        await host.PublishAsync("message.bpmn");
        var id = await host.StartAsync("message", businessKey: "case-m");
        var v2 = WorkflowTestHost.Fixture("message.bpmn").Replace("payment-received", "payment-settled").Replace("WaitPaid", "WaitSettled");
        Assert.True((await host.Definitions.SaveDraftAsync(v2)).IsOk);
        Assert.True((await host.Definitions.PublishAsync("message")).IsOk);

        var plan = await Changes.PlanAsync("message", 1, 2, new Dictionary<string, string> { ["WaitPaid"] = "WaitSettled" });
        Assert.True((await Changes.MigrateAsync(id, plan.Value!.Plan, "admin")).IsOk);

        Assert.Equal(["WaitSettled"], await host.ActiveAsync(id));
        Assert.Equal(0, (await host.Runtime.CorrelateMessageAsync("payment-received", "case-m")).Value);
        Assert.Equal(1, (await host.Runtime.CorrelateMessageAsync("payment-settled", "case-m")).Value);
        Assert.Equal(["Confirm"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Migrate_KeepsTheEventSubProcessTriggersTheNewVersionHas_WithdrawsTheOthers_AndRefusesOneRunningInside()
    {
        // v2 drops the "customer-called" event sub-process and renames the withdrawal message.
        await host.PublishAsync("esp-message.bpmn");
        var waiting = await host.StartAsync("esp-message", businessKey: "case-e");
        var noting = await host.StartAsync("esp-message", businessKey: "case-n");
        Assert.Equal(1, (await host.Runtime.CorrelateMessageAsync("customer-called", "case-n")).Value);
        var v1 = WorkflowTestHost.Fixture("esp-message.bpmn");
        var called = v1.IndexOf("<bpmn:subProcess id=\"Called\"", StringComparison.Ordinal);
        var calledEnd = v1.IndexOf("</bpmn:subProcess>", called, StringComparison.Ordinal) + "</bpmn:subProcess>".Length;
        var v2 = (v1[..called] + v1[calledEnd..]).Replace("name=\"customer-withdrew\"", "name=\"customer-cancelled\"");
        Assert.True((await host.Definitions.SaveDraftAsync(v2)).IsOk);
        var published = await host.Definitions.PublishAsync("esp-message");
        Assert.True(published.IsOk, published.Message + string.Join("; ", published.Problems));

        var plan = (await Changes.PlanAsync("esp-message", 1, 2)).Value!.Plan;
        var refused = (await Changes.DryRunAsync(plan)).Single(c => c.InstanceId == noting);
        Assert.Equal(MigrationRefusalKind.InEventSubProcess, refused.Refusal!.Kind);
        Assert.True((await Changes.MigrateAsync(waiting, plan, "admin")).IsOk);

        Assert.Equal(0, (await host.Runtime.CorrelateMessageAsync("customer-called", "case-e")).Value);
        Assert.Equal(0, (await host.Runtime.CorrelateMessageAsync("customer-withdrew", "case-e")).Value);
        Assert.Equal(1, (await host.Runtime.CorrelateMessageAsync("customer-cancelled", "case-e")).Value);
        Assert.Equal(["ConfirmWithdrawal"], (await host.ActiveAsync(waiting)).Where(e => e != "Withdrew"));
    }

    [Fact]
    public async Task Migrate_RacingACompletion_LeavesEachInstanceWholeOnOneVersion()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++) ids.Add(await StartAtAsync("Vent"));
        await host.PublishAsync("migrate-v2.bpmn");
        var plan = await PlanAsync();

        var results = await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            var migrate = Changes.MigrateAsync(id, plan, "admin");
            var complete = host.CompleteAsync(id, "Review");
            return (Id: id, Migrated: await migrate, Completed: await complete);
        })));

        foreach (var (id, migrated, completed) in results)
        {
            Assert.True(completed.IsOk, completed.Message); // a completion that loses the race is tried again on the new state
            Assert.True(migrated.IsOk || migrated.Outcome == WorkflowOutcome.Conflict, migrated.Message);
            var instance = (await host.Runtime.GetInstanceAsync(id))!;
            Assert.Equal(migrated.IsOk ? 2 : 1, instance.DefinitionVersion);
            var open = (await host.Runtime.GetTasksOfInstanceAsync(id)).Where(t => t.Status == WorkItemStatus.Open).Select(t => t.ElementId);
            Assert.Equal(instance.ActiveElementIds, open);
            Assert.Contains(instance.ActiveElementIds.Single(), new[] { "Check", "Close" });
        }
    }

    [Fact]
    public async Task SecondEngine_SeesTheMigratedState_AndContinuesIt()
    {
        Guid id;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("migrate-v1.bpmn");
            id = await first.StartAsync("migrate");
            await first.CompleteAsync(id, "Vent");
            await first.PublishAsync("migrate-v2.bpmn");
            var changes = first.Services.GetRequiredService<IInstanceChanges>();
            var plan = await changes.PlanAsync("migrate", 1, 2);
            Assert.True((await changes.MigrateAsync(id, plan.Value!.Plan, "admin")).IsOk);
        }

        await using var second = new WorkflowTestHost(folder, clock);
        var instance = (await second.Runtime.GetInstanceAsync(id))!;
        Assert.Equal(2, instance.DefinitionVersion);
        Assert.Equal(["Review"], instance.ActiveElementIds);
        Assert.Equal("Review the complaint", (await second.OpenTaskAsync(id, "Review")).Name);
        Assert.True((await second.CompleteAsync(id, "Review")).IsOk);
        Assert.Equal(["Check"], await second.ActiveAsync(id));
        clock.Advance(TimeSpan.FromHours(5));
        await second.FireDueTimersAsync(clock); // the SLA timer was cancelled when Review completed
        Assert.Equal(["Check"], await second.ActiveAsync(id));
    }
}
