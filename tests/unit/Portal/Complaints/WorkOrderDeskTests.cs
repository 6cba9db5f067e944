using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;
using Keys = Remediation.Portal.Complaints.ComplaintProcess.FormKeys;

namespace Remediation.UnitTests.Portal.Complaints;

public sealed class WorkOrderDeskTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private WorkflowUser handler = null!;
    private WorkflowUser supervisor = null!;
    private WorkflowUser otherSupervisor = null!;

    public async Task InitializeAsync()
    {
        host = await ComplaintHost.StartAsync();
        handler = await host.UserAsync("hana", Roles.Handler);
        supervisor = await host.UserAsync("sam", Roles.Supervisor);
        otherSupervisor = await host.UserAsync("sue", Roles.Supervisor);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary>What the case page's "Hand to supervisor" does: the work order, then the procedure is cancelled.</summary>
    private async Task<(Guid Id, string Reference)> HandedUpAsync(string reason = "Customer wants to speak to a manager")
    {
        var (id, reference) = await host.ReceiveAsync(handler);
        await host.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<RemediationDbContext>();
            var complaint = await db.Set<Complaint>().FirstAsync(c => c.Id == id);
            complaint.HandToSupervisor(handler.Id, reason, host.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            var instance = await db.Set<WorkflowInstance>().Where(i => i.BusinessKey == reference && i.Status == InstanceStatus.Running).Select(i => i.Id).SingleAsync();
            return await host.Runtime.CancelAsync(instance, "Handed to a supervisor", handler.Id);
        });
        return (id, reference);
    }

    /// <summary>The customer rejects three proposals: the procedure holds a work-order task for a supervisor.</summary>
    private async Task<(Guid Id, string Reference)> ThirdRejectionAsync()
    {
        var (id, reference) = await host.ReceiveAsync(handler);
        var now = host.Clock.GetUtcNow();
        Dictionary<string, object?> none = [];
        Assert.True((await host.CompleteAsync(id, reference, Keys.Vent, handler, c => { c.RecordVent(VentRecord.Create("It leaks.", c.Channel, EmotionalState.Angry, null, handler.Id, now)); return none; })).Succeeded);
        Assert.True((await host.CompleteAsync(id, reference, Keys.Apologise, handler, c => { c.RecordApology(ApologyRecord.Create(true, true, "很抱歉", handler.Id, now)); return none; })).Succeeded);
        Assert.True((await host.CompleteAsync(id, reference, Keys.Probe, handler, c =>
        {
            c.RecordProbe(ProbeRecord.Create(new ProbeAnswers { WhatHappened = "Leak", Product = "Kettle", DesiredResolution = "Refund" }, handler.Id, now));
            return none;
        })).Succeeded);
        var limits = await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<AuthorityLimit>().AsNoTracking().ToListAsync());
        for (var round = 0; round < 3; round++)
        {
            var proposal = RemedyProposal.Create(RemedyType.Refund, new Money(50m + round, "CNY"), null, "Leaking kettle", handler.Id, now);
            Assert.True((await host.CompleteAsync(id, reference, Keys.Propose, handler, c =>
                new Dictionary<string, object?> { ["withinAuthority"] = c.ProposeRemedy(proposal, handler.Roles, limits), ["proposalId"] = proposal.Id.ToString() })).Succeeded);
            Assert.True((await host.CompleteAsync(id, reference, Keys.Confirm, handler, c =>
            {
                c.RecordCustomerResponse(CustomerConfirmation.Reject("Too little", handler.Id, now));
                return new Dictionary<string, object?> { ["accepted"] = false, ["rejections"] = c.Rejections };
            })).Succeeded);
        }
        Assert.Equal(Keys.WorkOrder, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        return (id, reference);
    }

    private Task<WorkOrderPage> ListAsync(int page = 1, int size = 25) =>
        host.WithAsync(sp => sp.GetRequiredService<WorkOrderDesk>().ListOpenAsync(page, size, default));

    private Task<ResolveResult> ResolveAsync(Guid id, string? resolution, WorkflowUser? by = null, WorkOrderResolutionInput? input = null) =>
        host.WithAsync(sp => sp.GetRequiredService<WorkOrderDesk>().ResolveAsync(id, input ?? Input(resolution), (by ?? supervisor).Id, (by ?? supervisor).Id, default));

    /// <summary>A resolution with a phone call an hour ago and no follow-up (times in the portal's local time, as the form posts them).</summary>
    private WorkOrderResolutionInput Input(string? remedy) => new()
    {
        RemedyGiven = remedy, ContactChannel = ContactChannel.Phone, ContactedAt = host.Clock.GetUtcNow().AddHours(-1).LocalDateTime,
        ContactSummary = "Explained the refund; the customer agreed.",
    };

    [Fact]
    public async Task ListOpen_ShowsBothKinds_OldestFirst_WithTheHandlersName_AndPages()
    {
        var first = await HandedUpAsync("Wants a manager");
        host.Clock.Advance(TimeSpan.FromHours(1));
        var second = await ThirdRejectionAsync();
        host.Clock.Advance(TimeSpan.FromHours(1));
        var third = await HandedUpAsync();

        var page = await ListAsync();
        var firstPage = await ListAsync(page: 1, size: 2);
        var secondPage = await ListAsync(page: 2, size: 2);

        Assert.Equal([first.Reference, second.Reference, third.Reference], page.Items.Select(r => r.Reference));
        Assert.Equal([WorkOrderTrigger.HandedUp, WorkOrderTrigger.ThirdRejection, WorkOrderTrigger.HandedUp], page.Items.Select(r => r.Trigger));
        Assert.Equal([false, true, false], page.Items.Select(r => r.InProcess));
        Assert.Equal("hana", page.Items[0].RaisedBy);
        Assert.Equal("Wants a manager", page.Items[0].Reason);
        Assert.Equal("Li Lei", page.Items[0].CustomerName);
        Assert.False(page.HasMore);
        Assert.True(firstPage.HasMore);
        Assert.Equal([third.Reference], secondPage.Items.Select(r => r.Reference));
    }

    [Fact]
    public async Task Resolve_ClosesTheComplaint_RemovesItFromTheList_AndIsAudited()
    {
        var (id, reference) = await HandedUpAsync();

        var result = await ResolveAsync(id, "  Called the customer; full refund agreed.  ");

        Assert.Equal(ResolveOutcome.Resolved, result.Outcome);
        var complaint = await host.ComplaintAsync(id);
        Assert.Equal(ComplaintStatus.Closed, complaint.Status);
        Assert.Equal("Called the customer; full refund agreed.", complaint.WorkOrder!.Resolution);
        Assert.Equal(supervisor.Id, complaint.WorkOrder.ResolvedBy);
        Assert.Empty((await ListAsync()).Items);
        Assert.Contains(await host.AuditAsync(), e => e.Event == AuditEvents.WorkOrderResolved && e.CaseReference == reference);
    }

    [Fact]
    public async Task Resolve_RefusesAnEmptyResolution_NamingTheField_AndChangesNothing()
    {
        var (id, _) = await HandedUpAsync();

        var result = await ResolveAsync(id, "   ");

        Assert.Equal(ResolveOutcome.Invalid, result.Outcome);
        Assert.Equal(DomainRules.Required, result.Refusal!.Rule);
        Assert.Equal("Remedy given is required.", result.Refusal.Message);
        Assert.Equal(ComplaintStatus.Escalated, (await host.ComplaintAsync(id)).Status);
        Assert.Single((await ListAsync()).Items);
    }

    [Fact]
    public async Task Resolve_RecordsTheContactAndTheFollowUp()
    {
        var (id, _) = await HandedUpAsync();
        var now = host.Clock.GetUtcNow();
        var input = Input("Full refund of 120 CNY");
        input.ContactChannel = ContactChannel.Sms;
        input.FollowUp = true;
        input.FollowUpAt = now.AddDays(2).LocalDateTime;

        Assert.Equal(ResolveOutcome.Resolved, (await ResolveAsync(id, null, input: input)).Outcome);

        var order = (await host.ComplaintAsync(id)).WorkOrder!;
        Assert.Equal(ContactChannel.Sms, order.ContactChannel);
        Assert.Equal("Explained the refund; the customer agreed.", order.ContactSummary);
        Assert.Equal(now.AddHours(-1).ToUnixTimeSeconds(), order.ContactedAt!.Value.ToUnixTimeSeconds());
        Assert.Equal(now.AddDays(2).ToUnixTimeSeconds(), order.FollowUpAt!.Value.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("contact", "Contact summary is required.")]
    [InlineData("future-contact", "The contact with the customer cannot be in the future.")]
    [InlineData("follow-up-without-date", "Follow-up date is required.")]
    [InlineData("past-follow-up", "The follow-up must be scheduled in the future.")]
    public async Task Resolve_RefusesAnIncompleteContactOrFollowUp_AndChangesNothing(string fault, string message)
    {
        var (id, _) = await HandedUpAsync();
        var input = Input("Refunded");
        var now = host.Clock.GetUtcNow();
        switch (fault)
        {
            case "contact": input.ContactSummary = " "; break;
            case "future-contact": input.ContactedAt = now.AddHours(2).LocalDateTime; break;
            case "follow-up-without-date": input.FollowUp = true; break;
            default: input.FollowUp = true; input.FollowUpAt = now.AddDays(-1).LocalDateTime; break;
        }

        var result = await ResolveAsync(id, null, input: input);

        Assert.Equal(ResolveOutcome.Invalid, result.Outcome);
        Assert.Equal(message, result.Refusal!.Message);
        Assert.Equal(ComplaintStatus.Escalated, (await host.ComplaintAsync(id)).Status);
    }

    [Fact]
    public async Task Resolve_ReturnsAlreadyResolvedWithTheFirstSupervisor_WhenResolvedMeanwhile()
    {
        var (id, _) = await HandedUpAsync();
        Assert.Equal(ResolveOutcome.Resolved, (await ResolveAsync(id, "Refunded", otherSupervisor)).Outcome);

        var late = await ResolveAsync(id, "Also refunded");

        Assert.Equal(ResolveOutcome.AlreadyResolved, late.Outcome);
        Assert.Equal("sue", late.ResolvedBy);
        Assert.Equal("Refunded", (await host.ComplaintAsync(id)).WorkOrder!.Resolution);
    }

    [Fact]
    public async Task Resolve_AtTheSameTime_OneWins_TheOtherIsToldItWasAlreadyResolved()
    {
        var (id, _) = await HandedUpAsync();

        var results = await Task.WhenAll(ResolveAsync(id, "First", supervisor), ResolveAsync(id, "Second", otherSupervisor));

        Assert.Equal([ResolveOutcome.Resolved, ResolveOutcome.AlreadyResolved], results.Select(r => r.Outcome).Order());
        var winner = (await host.ComplaintAsync(id)).WorkOrder!;
        Assert.Equal(winner.ResolvedBy == supervisor.Id ? "sam" : "sue", results.Single(r => r.Outcome == ResolveOutcome.AlreadyResolved).ResolvedBy);
    }

    [Fact]
    public async Task Resolve_LeavesAThirdRejectionOrderToTheProcess()
    {
        var (id, reference) = await ThirdRejectionAsync();

        var result = await ResolveAsync(id, "Refunded");

        Assert.Equal(ResolveOutcome.InProcess, result.Outcome);
        Assert.Equal(ComplaintStatus.Escalated, (await host.ComplaintAsync(id)).Status);
        Assert.Equal(Keys.WorkOrder, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
    }
}
