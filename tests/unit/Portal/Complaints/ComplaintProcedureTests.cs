using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using Remediation.Domain.ServiceLevels;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Payments;
using Remediation.Domain.Payments;
using Remediation.Workflows;
using Xunit;
using Keys = Remediation.Portal.Complaints.ComplaintProcess.FormKeys;

namespace Remediation.UnitTests.Portal.Complaints;

public sealed class ComplaintProcedureTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private WorkflowUser handler = null!;
    private WorkflowUser approver = null!;

    public async Task InitializeAsync()
    {
        host = await ComplaintHost.StartAsync();
        handler = await host.UserAsync("hana", Roles.Handler);
        approver = await host.UserAsync("arne", Roles.Approver);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static readonly Dictionary<string, object?> None = [];

    /// <summary>Vent, Apologise and Probe: the complaint is at Propose.</summary>
    private async Task<(Guid Id, string Reference)> ReceiveAndProbeAsync(WorkflowUser? by = null, IntakeRequest? request = null)
    {
        by ??= handler;
        var (id, reference) = await host.ReceiveAsync(by, request);
        var now = host.Clock.GetUtcNow();
        Assert.True((await host.CompleteAsync(id, reference, Keys.Vent, by, c => { c.RecordVent(VentRecord.Create("It leaks.", c.Channel, EmotionalState.Angry, null, by.Id, now)); return None; })).Succeeded);
        Assert.True((await host.CompleteAsync(id, reference, Keys.Apologise, by, c => { c.RecordApology(ApologyRecord.Create(true, true, "很抱歉我们让您感到失望了", by.Id, now)); return None; })).Succeeded);
        Assert.True((await host.CompleteAsync(id, reference, Keys.Probe, by, c =>
        {
            c.RecordProbe(ProbeRecord.Create(new ProbeAnswers { WhatHappened = "Leak", Product = "Kettle", DesiredResolution = "Refund" }, by.Id, now));
            return None;
        })).Succeeded);
        return (id, reference);
    }

    private Task<StepResult> ProposeAsync(Guid id, string reference, decimal amount, WorkflowUser? by = null)
    {
        by ??= handler;
        var proposal = RemedyProposal.Create(RemedyType.Refund, new Money(amount, "CNY"), null, "Leaking kettle", by.Id, host.Clock.GetUtcNow());
        return host.WithAsync(async sp =>
        {
            var limits = await sp.GetRequiredService<RemediationDbContext>().Set<AuthorityLimit>().AsNoTracking().ToListAsync();
            return await host.CompleteAsync(id, reference, Keys.Propose, by, c =>
                new Dictionary<string, object?> { ["withinAuthority"] = c.ProposeRemedy(proposal, by.Roles, limits), ["proposalId"] = proposal.Id.ToString() });
        });
    }

    private Task<StepResult> ConfirmAsync(Guid id, string reference, bool accepted) =>
        host.CompleteAsync(id, reference, Keys.Confirm, handler, c =>
        {
            c.RecordCustomerResponse(accepted ? CustomerConfirmation.Accept(handler.Id, host.Clock.GetUtcNow()) : CustomerConfirmation.Reject("Too little", handler.Id, host.Clock.GetUtcNow()));
            return new Dictionary<string, object?>(ComplaintPayments.VariablesFor(c)) { ["accepted"] = accepted, ["rejections"] = c.Rejections };
        });

    private Task<StepResult> DecideAsync(Guid id, string reference, WorkflowUser by, bool approved) =>
        host.CompleteAsync(id, reference, Keys.Approve, by, c =>
        {
            c.RecordApproval(approved ? CompensationApproval.Approve(by.Id, host.Clock.GetUtcNow()) : CompensationApproval.Reject(by.Id, "Too much", host.Clock.GetUtcNow()));
            return new Dictionary<string, object?> { ["approved"] = approved, ["approvalReason"] = approved ? null : "Too much" };
        });

    [Fact]
    public async Task Step_IsAConflictAndSavesNothing_WhenTheComplaintChangesBetweenItsReadAndItsCommit()
    {
        // Given a complaint at Vent,
        var (id, reference) = await host.ReceiveAsync(handler);
        var now = host.Clock.GetUtcNow();

        // When another command changes the complaint after the step has read and changed it, but before it commits
        // (the step's reads run outside the single writer, so this window exists),
        var result = await host.CompleteAsync(id, reference, Keys.Vent, handler, c =>
        {
            c.RecordVent(VentRecord.Create("It leaks.", c.Channel, EmotionalState.Angry, null, handler.Id, now));
            host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Database
                    .ExecuteSqlRawAsync("UPDATE Complaints SET Version = Version + 1 WHERE Id = {0}", id)).GetAwaiter().GetResult();
            return None;
        });

        // Then the step is a conflict and nothing of it is saved: still at Vent, no vent record, the task still open.
        Assert.Equal(StepOutcome.Conflict, result.Outcome);
        var complaint = await host.ComplaintAsync(id);
        Assert.Equal(ComplaintStep.Vent, complaint.Step);
        Assert.Empty(complaint.Vents);
        Assert.Contains(await host.OpenTasksAsync(reference), t => t.FormKey == Keys.Vent);
    }

    [Fact]
    public async Task Receive_StartsTheProcess_AcknowledgesTheCustomerByEmail_AndOpensVent()
    {
        var request = ComplaintHost.PhoneIntake();
        request.Email = "li.lei@example.com";
        var (id, reference) = await host.ReceiveAsync(handler, request);

        Assert.Equal(Keys.Vent, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        var messages = await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<SentNotification>().Where(n => n.ComplaintId == id).ToListAsync());
        var message = Assert.Single(messages);
        Assert.Contains(reference, message.Subject);
        Assert.Equal("li.lei@example.com", message.Recipient);
        Assert.Single(Directory.GetFiles(Path.Combine(host.Folder, "outbox-mail")));
    }

    [Fact]
    public async Task Receive_WithoutAnEmailAddress_AcknowledgesByTextMessage_ToThePhoneNumber()
    {
        var (id, reference) = await host.ReceiveAsync(handler);

        Assert.Equal(Keys.Vent, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        var message = Assert.Single(await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<SentNotification>().Where(n => n.ComplaintId == id).ToListAsync()));
        Assert.Equal(("Sms", "+8613800138000"), (message.Transport, message.Recipient));
        Assert.Contains(reference, message.Subject);
        Assert.Empty(Directory.Exists(Path.Combine(host.Folder, "outbox-mail")) ? Directory.GetFiles(Path.Combine(host.Folder, "outbox-mail")) : []);
        Assert.Contains("To: +8613800138000", await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(host.Folder, "outbox-sms")))));
    }

    [Fact]
    public async Task Propose_GoesStraightToConfirm_WhenWithinAuthority()
    {
        var (id, reference) = await ReceiveAndProbeAsync();

        Assert.True((await ProposeAsync(id, reference, 150m)).Succeeded);

        Assert.Equal(Keys.Confirm, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        Assert.Equal(ComplaintStep.Confirm, (await host.ComplaintAsync(id)).Step);
    }

    [Fact]
    public async Task Propose_CreatesAnApprovalTask_AndNotifiesApprovers_WhenAboveAuthority()
    {
        var (id, reference) = await ReceiveAndProbeAsync();

        Assert.True((await ProposeAsync(id, reference, 900m)).Succeeded);

        var task = Assert.Single(await host.OpenTasksAsync(reference));
        Assert.Equal(Keys.Approve, task.FormKey);
        Assert.Equal("|Approver|", task.CandidateRoles);
        Assert.Equal(ComplaintStep.Approval, (await host.ComplaintAsync(id)).Step);
        var notices = await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<SentNotification>().Where(n => n.Recipient == "arne@test.local").ToListAsync());
        Assert.Single(notices);
    }

    [Fact]
    public async Task Approval_Rejected_ReturnsToPropose_ThenApprovedRevision_GoesToConfirm()
    {
        var (id, reference) = await ReceiveAndProbeAsync();
        await ProposeAsync(id, reference, 900m);

        Assert.True((await DecideAsync(id, reference, approver, approved: false)).Succeeded);
        Assert.Equal(Keys.Propose, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);

        await ProposeAsync(id, reference, 600m);
        Assert.True((await DecideAsync(id, reference, approver, approved: true)).Succeeded);

        Assert.Equal(Keys.Confirm, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        var complaint = await host.ComplaintAsync(id);
        Assert.Equal([ApprovalState.Rejected, ApprovalState.Approved], complaint.Proposals.OrderBy(p => p.Number).Select(p => p.ApprovalState));
    }

    [Fact]
    public async Task Approval_IsRefusedAndAudited_WhenTheApproverMadeTheProposal()
    {
        var both = await host.UserAsync("bo", Roles.Handler, Roles.Approver);
        var (id, reference) = await ReceiveAndProbeAsync(both);
        await ProposeAsync(id, reference, 900m, both);

        var result = await DecideAsync(id, reference, both, approved: true);

        Assert.Equal(StepOutcome.Forbidden, result.Outcome);
        Assert.Equal(Keys.Approve, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        Assert.Equal(ComplaintStep.Approval, (await host.ComplaintAsync(id)).Step);
        Assert.Contains(await host.AuditAsync(), a => a.Event == AuditEvents.AccessDenied && a.Detail!.Contains("own proposal"));
    }

    [Fact]
    public async Task CustomerRejectsTwice_ThenAccepts_RemedyDelivered_CallbackFires_SatisfiedCloses()
    {
        var levels = new ServiceLevelPolicy();
        var (id, reference) = await ReceiveAndProbeAsync();
        for (var round = 0; round < 2; round++)
        {
            await ProposeAsync(id, reference, 100m + round);
            Assert.True((await ConfirmAsync(id, reference, accepted: false)).Succeeded);
            Assert.Equal(Keys.Propose, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        }
        await ProposeAsync(id, reference, 180m);
        Assert.True((await ConfirmAsync(id, reference, accepted: true)).Succeeded);

        // The refund is recorded and sent to the gateway, keyed by the accepted proposal; until the gateway confirms it the
        // remedy is not delivered and the customer is told nothing.
        var accepted = await host.ComplaintAsync(id);
        Assert.Equal(ComplaintStep.Deliver, accepted.Step);
        Assert.Null(accepted.CurrentProposal!.DeliveredAt);
        var payment = await PaymentAsync(PaymentProcess.Keys.ForComplaintProposal(accepted.CurrentProposal.Id));
        Assert.Equal((PaymentStatus.Sent, 180m, "CNY", PaymentChannel.RefundToOriginalPayment, 1), (payment.Status, payment.Amount, payment.Currency, payment.Channel, payment.Attempts));
        Assert.Equal(reference, payment.CorrelationKey);
        Assert.Null(payment.ConfirmedAt);

        Assert.Equal(1, await host.ConfirmPaymentsAsync());

        payment = await PaymentAsync(payment.Key);
        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
        Assert.NotNull(payment.ProcessNotifiedAt);
        var delivered = await host.ComplaintAsync(id);
        Assert.True(delivered.CurrentProposal!.DeliveredAt >= payment.ConfirmedAt);
        Assert.Equal(ComplaintStep.AwaitFollowUp, delivered.Step);
        Assert.NotNull(delivered.CurrentProposal!.DeliveredAt);
        Assert.Equal(host.Clock.GetUtcNow() + levels.Standard.CallbackDelay, delivered.CallbackDueAt);
        Assert.Empty(await host.OpenTasksAsync(reference));

        await host.AdvanceAsync(levels.Standard.CallbackDelay);
        Assert.Equal(Keys.FollowUp, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);

        var result = await host.CompleteAsync(id, reference, Keys.FollowUp, handler, c =>
        {
            var record = FollowUpRecord.Create(FollowUpMethod.Phone, 5, "Happy now", handler.Id, host.Clock.GetUtcNow());
            c.RecordFollowUp(record);
            return new Dictionary<string, object?> { ["satisfied"] = record.IsSatisfied, ["satisfaction"] = record.Satisfaction };
        });

        Assert.True(result.Succeeded);
        var closed = await host.ComplaintAsync(id);
        Assert.Equal(ComplaintStatus.Closed, closed.Status);
        Assert.Equal(5, Assert.Single(closed.FollowUps).Satisfaction);
        Assert.Empty(await host.OpenTasksAsync(reference));
    }

    [Fact]
    public async Task AcceptedApology_PaysNothing_AndIsDeliveredAtOnce()
    {
        var (id, reference) = await ReceiveAndProbeAsync();
        var apology = RemedyProposal.Create(RemedyType.Apology, null, null, "A sincere apology", handler.Id, host.Clock.GetUtcNow());
        await host.CompleteAsync(id, reference, Keys.Propose, handler, c =>
            new Dictionary<string, object?> { ["withinAuthority"] = c.ProposeRemedy(apology, handler.Roles, []), ["proposalId"] = apology.Id.ToString() });

        Assert.True((await ConfirmAsync(id, reference, accepted: true)).Succeeded);

        Assert.Equal(ComplaintStep.AwaitFollowUp, (await host.ComplaintAsync(id)).Step);
        Assert.Empty(await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Payment>().ToListAsync()));
    }

    [Fact]
    public async Task FailedPayment_SendsTheComplaintBackToPropose_AndNothingIsDelivered()
    {
        host.Gateway.Decline = true;
        var (id, reference) = await ReceiveAndProbeAsync();
        await ProposeAsync(id, reference, 120m);
        await ConfirmAsync(id, reference, accepted: true);

        await host.ConfirmPaymentsAsync();

        var complaint = await host.ComplaintAsync(id);
        Assert.Equal(ComplaintStep.Propose, complaint.Step);
        Assert.Null(complaint.CurrentProposal!.DeliveredAt);
        Assert.Equal(Keys.Propose, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
        var payment = await PaymentAsync(PaymentProcess.Keys.ForComplaintProposal(complaint.CurrentProposal.Id));
        Assert.Equal(PaymentStatus.Failed, payment.Status);
        Assert.Contains("Declined", payment.FailureReason);
        Assert.Contains(await host.AuditAsync(), a => a.Event == AuditEvents.PaymentFailed && a.CaseReference == reference);
    }

    [Fact]
    public async Task RemedyNotice_GoesToTheCustomersEmail_OnlyAfterThePaymentIsConfirmed_WithNoEnglishInTheChineseText()
    {
        var request = ComplaintHost.PhoneIntake(phone: "13900000077");
        request.Email = "wang.fang@example.com";
        var (id, reference) = await ReceiveAndProbeAsync(request: request);
        await ProposeAsync(id, reference, 150m);
        await ConfirmAsync(id, reference, accepted: true);
        Task<List<SentNotification>> NoticesAsync() => host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<SentNotification>()
            .Where(n => n.ComplaintId == id && n.Subject.StartsWith("Remedy")).ToListAsync());
        Assert.Empty(await NoticesAsync());

        await host.ConfirmPaymentsAsync();

        var notice = Assert.Single(await NoticesAsync());
        Assert.Equal("wang.fang@example.com", notice.Recipient);
        var lines = notice.Body.Split('\n');
        Assert.Contains("a refund of 150.00 CNY", lines[0]);
        Assert.Equal("我们已执行商定的解决方案:退款 150.00 元。我们会回访,确认您是否满意。", lines[1]);
    }

    [Fact]
    public async Task RemedyNotice_GoesByTextMessage_WhenTheCustomerHasNoEmail_AndOnlyAfterThePaymentIsConfirmed()
    {
        var (id, reference) = await ReceiveAndProbeAsync();
        await ProposeAsync(id, reference, 150m);
        await ConfirmAsync(id, reference, accepted: true);
        Task<List<SentNotification>> RemedyNoticesAsync() => host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<SentNotification>()
            .Where(n => n.ComplaintId == id && n.Subject.StartsWith("Remedy")).ToListAsync());
        Assert.Empty(await RemedyNoticesAsync());

        await host.ConfirmPaymentsAsync();

        Assert.Equal(ComplaintStep.AwaitFollowUp, (await host.ComplaintAsync(id)).Step);
        var notice = Assert.Single(await RemedyNoticesAsync());
        Assert.Equal(("Sms", "+8613800138000"), (notice.Transport, notice.Recipient));
    }

    private Task<Payment> PaymentAsync(string key) =>
        host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Payment>().AsNoTracking().SingleAsync(p => p.Key == key));

    [Fact]
    public async Task VentSla_MarksTheComplaintOverdue_AndOpensAnEscalation_WhenItPasses()
    {
        var (id, reference) = await host.ReceiveAsync(handler);

        await host.AdvanceAsync(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));

        var complaint = await host.ComplaintAsync(id);
        Assert.True(complaint.IsOverdue);
        Assert.Equal(ComplaintStep.Vent, complaint.Step);
        var forms = (await host.OpenTasksAsync(reference)).Select(t => t.FormKey).Order().ToList();
        Assert.Equal([Keys.Escalation, Keys.Vent], forms);
    }

    [Fact]
    public async Task Escalation_IsAuditedOnce_WhenTwentySupervisorsHandleItAtOnce()
    {
        var (id, reference) = await host.ReceiveAsync(handler);
        await host.AdvanceAsync(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        var task = await host.OpenTaskAsync(reference, Keys.Escalation);
        var supervisors = new List<WorkflowUser>();
        for (var i = 0; i < 20; i++) supervisors.Add(await host.UserAsync($"sup{i}", Roles.Supervisor));

        var results = await Task.WhenAll(supervisors.Select(s => host.WithAsync(sp => sp.GetRequiredService<ComplaintSteps>().CompleteAsync(
            id, task.Id, Guid.NewGuid().ToString("N"), s, s.Id, Keys.Escalation, _ => None, default,
            new StepAudit(AuditEvents.EscalationHandled, "called the customer back")))));

        Assert.Single(results, r => r.Outcome == StepOutcome.Done);
        Assert.All(results.Where(r => r.Outcome != StepOutcome.Done), r => Assert.Equal(StepOutcome.Conflict, r.Outcome));
        var audit = await host.AuditAsync();
        Assert.Equal(reference, Assert.Single(audit, a => a.Event == AuditEvents.EscalationHandled).CaseReference);
        Assert.DoesNotContain(audit, a => a.Event == AuditEvents.AccessDenied);
    }

    [Fact]
    public async Task DiamondCustomer_GetsTheShorterSla()
    {
        var request = ComplaintHost.PhoneIntake(phone: "13900000001");
        request.VipTier = Remediation.Domain.Customers.VipTier.Diamond;
        var (id, _) = await host.ReceiveAsync(handler, request);

        await host.AdvanceAsync(TimeSpan.FromMinutes(31));

        Assert.True((await host.ComplaintAsync(id)).IsOverdue);
    }

    [Fact]
    public async Task ServiceLevels_FromConfiguration_DriveTheCallback()
    {
        await using var fast = await ComplaintHost.StartAsync(new ServiceLevelPolicy { Standard = new ServiceLevelPolicy().Standard with { CallbackDelay = TimeSpan.FromSeconds(2) } });
        var user = await fast.UserAsync("fay", Roles.Handler);
        var (id, _) = await fast.ReceiveAsync(user);

        var variables = (await fast.Runtime.GetInstanceAsync(await fast.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>()
            .Set<Remediation.Workflows.Persistence.WorkflowInstance>().Select(i => i.Id).SingleAsync())))!.Variables;

        Assert.Equal("PT2S", variables["callbackDelay"]?.ToString());
        Assert.Equal(id.ToString(), variables["complaintId"]?.ToString());
    }

    [Fact]
    public async Task Complete_IsForbiddenAndAudited_WhenTheTaskBelongsToAnotherComplaint()
    {
        var (first, _) = await host.ReceiveAsync(handler);
        var (_, otherReference) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: "13900000002", order: "ORD-2"));
        var otherTask = await host.OpenTaskAsync(otherReference, Keys.Vent);

        var result = await host.CompleteAsync(first, otherReference, Keys.Vent, handler, _ => None, taskId: otherTask.Id);

        Assert.Equal(StepOutcome.Forbidden, result.Outcome);
        Assert.Equal(ComplaintStep.Vent, (await host.ComplaintAsync(first)).Step);
        Assert.Contains(await host.AuditAsync(), a => a.Event == AuditEvents.AccessDenied && a.Detail!.Contains(otherTask.Id.ToString()));
    }

    [Fact]
    public async Task Complete_TellsWhoTookTheStep_AndAuditsNoDenial_WhenAnotherHandlerHoldsTheTask()
    {
        // Another handler who may work the step was simply first: a lost race, not an access violation.
        var other = await host.UserAsync("olga", Roles.Handler);
        var (id, reference) = await host.ReceiveAsync(handler);
        var task = await host.OpenTaskAsync(reference, Keys.Vent);
        Assert.True((await host.Runtime.ClaimAsync(task.Id, other)).IsOk);

        var result = await host.CompleteAsync(id, reference, Keys.Vent, handler, c => { c.RecordVent(VentRecord.Create("x", c.Channel, EmotionalState.Calm, null, handler.Id, host.Clock.GetUtcNow())); return None; });

        Assert.Equal(StepOutcome.Conflict, result.Outcome);
        Assert.True(result.Taken);
        Assert.Equal("olga", result.ActedBy);
        Assert.NotNull(result.ActedAt);
        Assert.Equal(ComplaintStep.Vent, (await host.ComplaintAsync(id)).Step);
        Assert.DoesNotContain(await host.AuditAsync(), a => a.Event == AuditEvents.AccessDenied);
    }

    [Fact]
    public async Task Complete_IsForbidden_ForAUserWithoutTheHandlerRole()
    {
        var (id, reference) = await host.ReceiveAsync(handler);

        var result = await host.CompleteAsync(id, reference, Keys.Vent, approver, _ => None);

        Assert.Equal(StepOutcome.Forbidden, result.Outcome);
    }

    [Fact]
    public async Task Complete_ReturnsConflictWithTheWinnersName_WhenAnotherHandlerCompletedTheStep()
    {
        var other = await host.UserAsync("oscar", Roles.Handler);
        var (id, reference) = await host.ReceiveAsync(handler);
        var task = await host.OpenTaskAsync(reference, Keys.Vent);
        Func<WorkflowUser, Func<Complaint, IReadOnlyDictionary<string, object?>>> vent = u => c =>
        {
            c.RecordVent(VentRecord.Create("x", c.Channel, EmotionalState.Calm, null, u.Id, host.Clock.GetUtcNow()));
            return None;
        };
        Assert.True((await host.CompleteAsync(id, reference, Keys.Vent, other, vent(other), taskId: task.Id)).Succeeded);

        var late = await host.CompleteAsync(id, reference, Keys.Vent, handler, vent(handler), taskId: task.Id);

        Assert.Equal(StepOutcome.Conflict, late.Outcome);
        Assert.Equal("oscar", late.ActedBy);
        Assert.Single((await host.ComplaintAsync(id)).Vents);
    }

    [Fact]
    public async Task Complete_IsANoOp_WhenTheCommandIsReplayed()
    {
        var (id, reference) = await host.ReceiveAsync(handler);
        var task = await host.OpenTaskAsync(reference, Keys.Vent);
        Func<Complaint, IReadOnlyDictionary<string, object?>> vent = c =>
        {
            c.RecordVent(VentRecord.Create("x", c.Channel, EmotionalState.Calm, null, handler.Id, host.Clock.GetUtcNow()));
            return None;
        };
        Assert.True((await host.CompleteAsync(id, reference, Keys.Vent, handler, vent, commandId: "cmd-1", taskId: task.Id)).Succeeded);

        var replay = await host.CompleteAsync(id, reference, Keys.Vent, handler, vent, commandId: "cmd-1", taskId: task.Id);

        Assert.Equal(StepOutcome.Replayed, replay.Outcome);
        Assert.Single((await host.ComplaintAsync(id)).Vents);
    }

    [Fact]
    public async Task Complete_RefusesInvalidInput_AndChangesNothing()
    {
        var (id, reference) = await host.ReceiveAsync(handler);

        var result = await host.CompleteAsync(id, reference, Keys.Vent, handler, c =>
        {
            c.RecordVent(VentRecord.Create("  ", c.Channel, EmotionalState.Calm, null, handler.Id, host.Clock.GetUtcNow()));
            return None;
        });

        Assert.Equal(StepOutcome.Invalid, result.Outcome);
        Assert.Contains("Customer's account", result.Message);
        Assert.Equal(Keys.Vent, Assert.Single(await host.OpenTasksAsync(reference)).FormKey);
    }

    [Fact]
    public async Task ThirdRejection_WritesAWorkOrder_ThatASupervisorResolves_ClosingTheCase()
    {
        var supervisor = await host.UserAsync("sam", Roles.Supervisor);
        var (id, reference) = await ReceiveAndProbeAsync();
        for (var round = 0; round < 3; round++)
        {
            await ProposeAsync(id, reference, 100m + round);
            Assert.True((await ConfirmAsync(id, reference, accepted: false)).Succeeded);
        }
        var task = Assert.Single(await host.OpenTasksAsync(reference));
        Assert.Equal(Keys.WorkOrder, task.FormKey);
        Assert.Equal(ComplaintStatus.Escalated, (await host.ComplaintAsync(id)).Status);

        var result = await host.CompleteAsync(id, reference, Keys.WorkOrder, supervisor, c =>
        {
            c.ResolveWorkOrder(supervisor.Id, new WorkOrderResolution("Full refund agreed by phone", ContactChannel.Phone, host.Clock.GetUtcNow(), "Agreed by phone", null), host.Clock.GetUtcNow());
            return new Dictionary<string, object?> { ["workOrderResolution"] = "Full refund agreed by phone" };
        });

        Assert.True(result.Succeeded);
        Assert.Equal(ComplaintStatus.Closed, (await host.ComplaintAsync(id)).Status);
        Assert.Empty(await host.OpenTasksAsync(reference));
    }
}
