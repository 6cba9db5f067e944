using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Portal.Data;
using Remediation.Portal.Inbox;
using Remediation.Portal.Team;
using Remediation.UnitTests.Portal.Complaints;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;
using Keys = Remediation.Portal.Complaints.ComplaintProcess.FormKeys;

namespace Remediation.UnitTests.Portal.Team;

/// <summary>A supervisor's actions on the team view, against the shipped complaint process.</summary>
public sealed class TeamDeskTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private WorkflowUser handler = null!;
    private WorkflowUser otherHandler = null!;
    private WorkflowUser approver = null!;
    private WorkflowUser supervisor = null!;

    public async Task InitializeAsync()
    {
        host = await ComplaintHost.StartAsync();
        handler = await host.UserAsync("hana", Roles.Handler);
        otherHandler = await host.UserAsync("hugo", Roles.Handler);
        approver = await host.UserAsync("ann", Roles.Approver);
        supervisor = await host.UserAsync("sam", Roles.Supervisor);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<T> DeskAsync<T>(Func<TeamDesk, Task<T>> action) => host.WithAsync(sp => action(sp.GetRequiredService<TeamDesk>()));

    private async Task<(Guid Id, string Reference, WorkItem Vent)> HeldVentAsync()
    {
        var (id, reference) = await host.ReceiveAsync(handler);
        var vent = await host.OpenTaskAsync(reference, Keys.Vent);
        Assert.True((await host.Runtime.ClaimAsync(vent.Id, handler)).IsOk);
        return (id, reference, vent);
    }

    [Fact]
    public async Task Reassign_IsRefused_WhenThePersonDoesNotHoldARoleOfTheStep()
    {
        var (_, _, vent) = await HeldVentAsync();

        var result = await DeskAsync(d => d.ReassignAsync(vent.Id, approver.Id, supervisor, "sam", default));

        Assert.Equal(TeamOutcome.Invalid, result.Outcome);
        Assert.Equal("{0} cannot work this step: it needs the role {1}.", result.Message);
        Assert.Equal(["ann", "Handler"], result.Args);
        Assert.Equal(handler.Id, (await host.Runtime.GetTaskAsync(vent.Id))!.Assignee);
        Assert.DoesNotContain(await host.AuditAsync(), e => e.Event == AuditEvents.TaskReassigned);
    }

    [Fact]
    public async Task Reassign_HandsTheStep_TellsTheNewHolder_IsAudited_AndRecordedForTheTimeline()
    {
        var (id, reference, vent) = await HeldVentAsync();

        var result = await DeskAsync(d => d.ReassignAsync(vent.Id, otherHandler.Id, supervisor, "sam", default));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(otherHandler.Id, (await host.Runtime.GetTaskAsync(vent.Id))!.Assignee);
        var note = Assert.Single(await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<StaffNotification>().AsNoTracking()
            .Where(n => n.UserId == otherHandler.Id).ToListAsync()));
        Assert.Equal((StaffNotificationKind.CaseHandedToYou, reference, id, "sam"), (note.Kind, note.Reference, note.ComplaintId, note.Actor));
        Assert.Contains(await host.AuditAsync(), e => e.Event == AuditEvents.TaskReassigned && e.CaseReference == reference);
        var change = Assert.Single(await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<TaskChange>().AsNoTracking().ToListAsync()));
        Assert.Equal((TaskChangeKind.Reassigned, otherHandler.Id, supervisor.Id), (change.Kind, change.ToUserId, change.ByUserId));
    }

    [Fact]
    public async Task TakeOver_IsRefused_WhenTheSupervisorCannotWorkTheStep_AndReturnToPool_FreesIt()
    {
        var (_, reference, vent) = await HeldVentAsync();

        var takeOver = await DeskAsync(d => d.TakeOverAsync(vent.Id, supervisor, "sam", default));
        var pool = await DeskAsync(d => d.ReturnToPoolAsync(vent.Id, supervisor, "sam", default));

        Assert.Equal(TeamOutcome.Invalid, takeOver.Outcome);
        Assert.True(pool.Succeeded, pool.Message);
        Assert.Null((await host.Runtime.GetTaskAsync(vent.Id))!.Assignee);
        Assert.Contains(await host.AuditAsync(), e => e.Event == AuditEvents.TaskReturnedToPool && e.CaseReference == reference);
    }

    [Fact]
    public async Task Extend_IsRefused_IntoThePast_OrWithoutAReason_AndChangesNothing()
    {
        var (_, _, vent) = await HeldVentAsync();
        var now = host.Clock.GetUtcNow().UtcDateTime;

        var past = await DeskAsync(d => d.ExtendAsync(vent.Id, now.AddMinutes(-5), "The customer is travelling", supervisor, "sam", default));
        var noReason = await DeskAsync(d => d.ExtendAsync(vent.Id, now.AddHours(5), "  ", supervisor, "sam", default));

        Assert.Equal((TeamOutcome.Invalid, "New due date must be in the future."), (past.Outcome, past.Message));
        Assert.Equal((TeamOutcome.Invalid, "Reason is required."), (noReason.Outcome, noReason.Message));
        Assert.Equal(vent.DueAt, (await host.Runtime.GetTaskAsync(vent.Id))!.DueAt);
        Assert.DoesNotContain(await host.AuditAsync(), e => e.Event == AuditEvents.TaskDueDateExtended);
    }

    [Fact]
    public async Task Extend_MovesTheDueDate_ClearsTheOverdueMark_AndTheSlaFiresAgainAtTheNewDate()
    {
        var (id, reference, vent) = await HeldVentAsync();
        await host.AdvanceAsync(vent.DueAt!.Value - host.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1));
        Assert.True((await host.ComplaintAsync(id)).IsOverdue);
        var newDue = host.Clock.GetUtcNow().UtcDateTime.AddHours(3);

        var result = await DeskAsync(d => d.ExtendAsync(vent.Id, newDue, "Customer asked us to call back tonight", supervisor, "sam", default));

        Assert.True(result.Succeeded, result.Message);
        Assert.False((await host.ComplaintAsync(id)).IsOverdue);
        Assert.Equal(newDue, (await host.Runtime.GetTaskAsync(vent.Id))!.DueAt);
        var sla = await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<WorkflowTimer>().AsNoTracking()
            .SingleAsync(t => t.ElementId == "Boundary_VentSla" && t.TokenId == vent.TokenId));
        Assert.Equal((TimerStatus.Scheduled, newDue), (sla.Status, sla.DueAt));
        Assert.Contains(await host.AuditAsync(), e => e.Event == AuditEvents.TaskDueDateExtended && e.CaseReference == reference);

        await host.AdvanceAsync(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));
        Assert.True((await host.ComplaintAsync(id)).IsOverdue);
        Assert.Equal(2, (await host.OpenTasksAsync(reference)).Count(w => w.FormKey == Keys.Escalation));
    }
}
