using Xunit;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using static Remediation.UnitTests.Domain.Complaints.ComplaintScenario;

namespace Remediation.UnitTests.Domain.Complaints;

public class ComplaintTests
{
    [Fact]
    public void Receive_StartsOpenAtVent()
    {
        var complaint = Received();

        Assert.Equal(ComplaintStatus.Open, complaint.Status);
        Assert.Equal(ComplaintStep.Vent, complaint.Step);
        Assert.Equal("13800138000".Insert(0, "+86"), complaint.Contact.Phone.Value);
        Assert.Equal("SO-1001", complaint.OrderReference);
    }

    [Fact]
    public void Steps_AdvanceInOrder_FromVentToConfirm()
    {
        var complaint = Received();

        complaint.RecordVent(Vent());
        Assert.Equal(ComplaintStep.Apologise, complaint.Step);
        complaint.RecordApology(Apology());
        Assert.Equal(ComplaintStep.Probe, complaint.Step);
        complaint.RecordProbe(Probe());
        Assert.Equal(ComplaintStep.Propose, complaint.Step);
        var within = complaint.ProposeRemedy(Refund(100m), HandlerRoles, Limits);

        Assert.True(within);
        Assert.Equal(ComplaintStep.Confirm, complaint.Step);
        Assert.Equal(ApprovalState.NotRequired, complaint.CurrentProposal!.ApprovalState);
    }

    [Fact]
    public void RecordApology_Throws_WhenCustomerHasNotVented()
    {
        var complaint = Received();

        var error = Assert.Throws<DomainException>(() => complaint.RecordApology(Apology()));

        Assert.Equal(DomainRules.StepOutOfOrder, error.Rule);
        Assert.Contains("Apologise", error.Message);
        Assert.Contains("Vent", error.Message);
        Assert.Equal(ComplaintStep.Vent, complaint.Step);
        Assert.Empty(complaint.Apologies);
    }

    [Fact]
    public void ProposeRemedy_Throws_WhenProbeNotRecorded()
    {
        var complaint = AtProbe();

        var error = Assert.Throws<DomainException>(() => complaint.ProposeRemedy(Refund(10m), HandlerRoles, Limits));

        Assert.Equal(DomainRules.StepOutOfOrder, error.Rule);
        Assert.Empty(complaint.Proposals);
    }

    [Fact]
    public void RecordFollowUp_Throws_WhenRemedyNotDelivered()
    {
        var complaint = AtConfirm();

        var error = Assert.Throws<DomainException>(() =>
            complaint.RecordFollowUp(FollowUpRecord.Create(FollowUpMethod.Phone, 5, null, Handler, Start)));

        Assert.Equal(DomainRules.StepOutOfOrder, error.Rule);
    }

    [Fact]
    public void RecordVent_Throws_WhenAlreadyRecorded()
    {
        var complaint = Received();
        complaint.RecordVent(Vent());

        Assert.Equal(DomainRules.StepOutOfOrder, Assert.Throws<DomainException>(() => complaint.RecordVent(Vent())).Rule);
        Assert.Single(complaint.Vents);
    }

    [Fact]
    public void ProposeRemedy_GoesToApproval_WhenBeyondAuthority()
    {
        var complaint = AtPropose();

        var within = complaint.ProposeRemedy(Refund(500m), HandlerRoles, Limits);

        Assert.False(within);
        Assert.Equal(ComplaintStep.Approval, complaint.Step);
        Assert.Equal(ApprovalState.Pending, complaint.CurrentProposal!.ApprovalState);
    }

    [Fact]
    public void RecordApproval_Throws_WhenApproverIsTheProposer()
    {
        var complaint = AtApproval();

        var error = Assert.Throws<DomainException>(() => complaint.RecordApproval(CompensationApproval.Approve(Handler, Start)));

        Assert.Equal(DomainRules.ApproverIsProposer, error.Rule);
        Assert.Equal(ComplaintStep.Approval, complaint.Step);
        Assert.Equal(ApprovalState.Pending, complaint.CurrentProposal!.ApprovalState);
    }

    [Fact]
    public void RecordApproval_MovesToConfirm_WhenApproved()
    {
        var complaint = AtApproval();

        complaint.RecordApproval(CompensationApproval.Approve(Approver, Start.AddHours(1)));

        Assert.Equal(ComplaintStep.Confirm, complaint.Step);
        Assert.Equal(ApprovalState.Approved, complaint.CurrentProposal!.ApprovalState);
        Assert.Equal(Approver, complaint.CurrentProposal.Approval!.ApproverUserId);
    }

    [Fact]
    public void RecordApproval_ReturnsToPropose_WhenRejected()
    {
        var complaint = AtApproval();

        complaint.RecordApproval(CompensationApproval.Reject(Approver, "Too generous for a leak", Start.AddHours(1)));

        Assert.Equal(ComplaintStep.Propose, complaint.Step);
        Assert.Equal(ApprovalState.Rejected, complaint.CurrentProposal!.ApprovalState);
        Assert.Equal("Too generous for a leak", complaint.CurrentProposal.Approval!.Reason);
    }

    [Fact]
    public void RecordApproval_Throws_WhenProposalWasWithinAuthority()
    {
        var complaint = AtConfirm();

        Assert.Equal(DomainRules.StepOutOfOrder,
            Assert.Throws<DomainException>(() => complaint.RecordApproval(CompensationApproval.Approve(Approver, Start))).Rule);
    }

    [Fact]
    public void RecordCustomerResponse_ReturnsToPropose_WhenRejected()
    {
        var complaint = AtConfirm();

        complaint.RecordCustomerResponse(CustomerConfirmation.Reject("Wants a replacement, not money", Handler, Start.AddMinutes(30)));

        Assert.Equal(ComplaintStep.Propose, complaint.Step);
        Assert.Equal(ComplaintStatus.Open, complaint.Status);
        Assert.Equal(1, complaint.Rejections);
        Assert.Equal(complaint.CurrentProposal!.Id, complaint.Confirmations.Single().ProposalId);
        Assert.Null(complaint.WorkOrder);
    }

    [Fact]
    public void ProposeRemedy_NumbersProposals_AndRefusesTheSameProposalTwice()
    {
        var complaint = AtConfirm();
        var first = complaint.CurrentProposal!;
        complaint.RecordCustomerResponse(CustomerConfirmation.Reject("Too little", Handler, Start.AddHours(1)));

        var error = Assert.Throws<DomainException>(() => complaint.ProposeRemedy(first, HandlerRoles, Limits));
        complaint.ProposeRemedy(Refund(120m), HandlerRoles, Limits);

        Assert.Equal(DomainRules.StepOutOfOrder, error.Rule);
        Assert.Equal([1, 2], complaint.Proposals.Select(p => p.Number));
        Assert.Equal(2, complaint.CurrentProposal!.Number);
    }

    [Fact]
    public void RecordCustomerResponse_CreatesWorkOrder_OnThirdRejection()
    {
        var complaint = AtPropose();
        for (var i = 1; i <= 3; i++)
        {
            complaint.ProposeRemedy(Refund(10m * i), HandlerRoles, Limits);
            complaint.RecordCustomerResponse(CustomerConfirmation.Reject($"Not enough ({i})", Handler, Start.AddHours(i)));
        }

        Assert.Equal(3, complaint.Rejections);
        Assert.Equal(3, complaint.Proposals.Count);
        Assert.Equal(ComplaintStatus.Escalated, complaint.Status);
        var workOrder = Assert.IsType<WorkOrder>(complaint.WorkOrder);
        Assert.Equal(WorkOrderTrigger.ThirdRejection, workOrder.Trigger);
        Assert.Equal("Li Wei", workOrder.CustomerName);
        Assert.Equal("+8613800138000", workOrder.CustomerPhone.Value);
        Assert.Equal("Kettle leaks after two days", workOrder.ComplaintContent);
        Assert.Equal(Handler, workOrder.HandedUpBy);
        Assert.Contains("Not enough (3)", workOrder.Reason);
    }

    [Fact]
    public void ProposeRemedy_Throws_WhenComplaintEscalated()
    {
        var complaint = AtPropose();
        complaint.HandToSupervisor(Handler, "Customer threatens legal action", Start.AddHours(1));

        var error = Assert.Throws<DomainException>(() => complaint.ProposeRemedy(Refund(10m), HandlerRoles, Limits));

        Assert.Equal(DomainRules.ComplaintEscalated, error.Rule);
    }

    [Fact]
    public void HandToSupervisor_WritesWorkOrder_AndResolveCloses()
    {
        var complaint = AtProbe();

        var workOrder = complaint.HandToSupervisor(Handler, "Customer threatens legal action", Start.AddHours(1));
        complaint.ResolveWorkOrder("supervisor-1", new WorkOrderResolution("Agreed replacement", ContactChannel.Phone, Start.AddHours(4), "Called customer", null), Start.AddHours(5));

        Assert.Equal(WorkOrderTrigger.HandedUp, workOrder.Trigger);
        Assert.Equal("Customer threatens legal action", workOrder.Reason);
        Assert.Equal("supervisor-1", workOrder.ResolvedBy);
        Assert.Equal(ComplaintStatus.Closed, complaint.Status);
        Assert.Equal(ComplaintStep.Closed, complaint.Step);
    }

    [Fact]
    public void HandToSupervisor_Throws_WhenReasonMissing()
    {
        var complaint = AtProbe();

        var error = Assert.Throws<DomainException>(() => complaint.HandToSupervisor(Handler, " ", Start));

        Assert.Equal(DomainRules.Required, error.Rule);
        Assert.Contains("Reason", error.Message);
        Assert.Equal(ComplaintStatus.Open, complaint.Status);
        Assert.Null(complaint.WorkOrder);
    }

    [Fact]
    public void MarkRemedyDelivered_SchedulesCallback()
    {
        var complaint = AtAwaitFollowUp();

        Assert.Equal(ComplaintStep.AwaitFollowUp, complaint.Step);
        Assert.Equal(Start.AddDays(3), complaint.CallbackDueAt);
        Assert.Equal(Start.AddHours(1), complaint.CurrentProposal!.DeliveredAt);

        complaint.MarkCallbackDue();
        Assert.Equal(ComplaintStep.FollowUp, complaint.Step);
    }

    [Fact]
    public void RecordFollowUp_ReopensAtProbe_WhenUnsatisfied()
    {
        var complaint = AtAwaitFollowUp();
        complaint.MarkCallbackDue();

        complaint.RecordFollowUp(FollowUpRecord.Create(FollowUpMethod.Phone, 3, "Replacement also leaks", Handler, Start.AddDays(3)));

        Assert.Equal(ComplaintStep.Probe, complaint.Step);
        Assert.Equal(ComplaintStatus.Open, complaint.Status);
        Assert.Equal(1, complaint.ReopenCount);
        Assert.Null(complaint.CallbackDueAt);

        // History is kept: a second round adds records instead of replacing them.
        complaint.RecordProbe(Probe());
        complaint.ProposeRemedy(Refund(150m), HandlerRoles, Limits);
        Assert.Equal(2, complaint.Probes.Count);
        Assert.Equal(2, complaint.Proposals.Count);
    }

    [Fact]
    public void RecordFollowUp_Closes_WhenSatisfied()
    {
        var complaint = AtAwaitFollowUp();

        complaint.RecordFollowUp(FollowUpRecord.Create(FollowUpMethod.Email, 4, null, Handler, Start.AddDays(3)));

        Assert.Equal(ComplaintStep.Closed, complaint.Step);
        Assert.Equal(ComplaintStatus.Closed, complaint.Status);
        Assert.Equal(Start.AddDays(3), complaint.ClosedAt);
        Assert.Equal(DomainRules.ComplaintClosed, Assert.Throws<DomainException>(() => complaint.MarkOverdue(Start.AddDays(4))).Rule);
    }

    [Fact]
    public void MarkOverdue_SetsFlag_UntilStepCompleted()
    {
        var complaint = Received();

        complaint.MarkOverdue(Start.AddHours(5));
        complaint.MarkOverdue(Start.AddHours(6));

        Assert.True(complaint.IsOverdue);
        Assert.Equal(Start.AddHours(5), complaint.OverdueSince);

        complaint.RecordVent(Vent());
        Assert.False(complaint.IsOverdue);
    }

    [Fact]
    public void Version_Increases_WithEveryChange()
    {
        var complaint = Received();
        var before = complaint.Version;

        complaint.RecordVent(Vent());

        Assert.True(complaint.Version > before);
    }

    [Fact]
    public void IsPossibleDuplicateOf_MatchesSamePhoneAndOrderWithinSevenDays()
    {
        var first = Received(at: Start);
        var sameWeek = Received(at: Start.AddDays(6));
        var later = Received(at: Start.AddDays(8));
        var otherOrder = Received(orderReference: "SO-2002", at: Start.AddDays(1));

        Assert.True(sameWeek.IsPossibleDuplicateOf(first));
        Assert.False(later.IsPossibleDuplicateOf(first));
        Assert.False(otherOrder.IsPossibleDuplicateOf(first));
    }
}
