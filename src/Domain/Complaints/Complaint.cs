using Remediation.Domain.Remedies;

namespace Remediation.Domain.Complaints;

/// <summary>
/// A customer complaint worked through the six-step procedure (docs/business.md §1). The aggregate root:
/// every step record hangs off it, and each behaviour method refuses a step taken out of order.
/// A reopened complaint keeps its earlier records; the latest of each kind is the current one.
/// </summary>
public sealed class Complaint
{
    /// <summary>A complaint from the same phone about the same order within this window is a likely duplicate.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromDays(7);

    /// <summary>The customer rejecting this many proposals writes the case up as a work order.</summary>
    public const int RejectionsBeforeWorkOrder = 3;

    private readonly List<VentRecord> _vents = [];
    private readonly List<ApologyRecord> _apologies = [];
    private readonly List<ProbeRecord> _probes = [];
    private readonly List<RemedyProposal> _proposals = [];
    private readonly List<CustomerConfirmation> _confirmations = [];
    private readonly List<FollowUpRecord> _followUps = [];

    public Guid Id { get; private set; }
    public ComplaintReference Reference { get; private set; } = null!;
    public Guid CustomerId { get; private set; }
    public ComplaintChannel Channel { get; private set; }
    public ComplaintCategory Category { get; private set; }
    public ComplaintSeverity Severity { get; private set; }
    /// <summary>The complaint content as taken at intake (also copied onto a work order).</summary>
    public string Summary { get; private set; } = null!;
    public IntakeContact Contact { get; private set; } = null!;
    public ComplaintStatus Status { get; private set; }
    public ComplaintStep Step { get; private set; }
    /// <summary>The current step's SLA has passed (cleared when the step is completed).</summary>
    public bool IsOverdue { get; private set; }
    public DateTimeOffset? OverdueSince { get; private set; }
    public int ReopenCount { get; private set; }
    public DateTimeOffset? CallbackDueAt { get; private set; }
    public string CreatedBy { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public WorkOrder? WorkOrder { get; private set; }
    /// <summary>Bumped by every change; the persistence layer uses it as the optimistic concurrency token.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<VentRecord> Vents => _vents;
    public IReadOnlyList<ApologyRecord> Apologies => _apologies;
    public IReadOnlyList<ProbeRecord> Probes => _probes;
    public IReadOnlyList<RemedyProposal> Proposals => _proposals;
    public IReadOnlyList<CustomerConfirmation> Confirmations => _confirmations;
    public IReadOnlyList<FollowUpRecord> FollowUps => _followUps;

    public string? OrderReference => Contact.OrderReference;
    public RemedyProposal? CurrentProposal => _proposals.MaxBy(p => p.Number);
    public int Rejections => _confirmations.Count(c => !c.Accepted);

    private Complaint() { }

    public static Complaint Receive(ComplaintReference reference, Guid customerId, ComplaintChannel channel, ComplaintCategory category,
        ComplaintSeverity severity, string summary, IntakeContact contact, string receivedBy, DateTimeOffset receivedAt)
    {
        if (customerId == Guid.Empty)
            throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(DomainFields.Customer));
        return new Complaint
        {
            Id = Guid.NewGuid(),
            Reference = reference ?? throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(DomainFields.Reference)),
            CustomerId = customerId,
            Channel = Guard.Defined(channel, DomainFields.Channel),
            Category = Guard.Defined(category, DomainFields.Category),
            Severity = Guard.Defined(severity, DomainFields.Severity),
            Summary = Guard.Required(summary, DomainFields.ComplaintContent, 4000),
            Contact = contact ?? throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(DomainFields.IntakeContact)),
            Status = ComplaintStatus.Open,
            Step = ComplaintStep.Vent,
            CreatedBy = Guard.Required(receivedBy, DomainFields.ReceivedBy, 450),
            CreatedAt = receivedAt,
        };
    }

    /// <summary>True when <paramref name="other"/> came from the same phone about the same order within <see cref="DuplicateWindow"/>.</summary>
    public bool IsPossibleDuplicateOf(Complaint other) =>
        other.Id != Id
        && other.Contact.Phone == Contact.Phone
        && other.OrderReference is not null
        && string.Equals(other.OrderReference, OrderReference, StringComparison.OrdinalIgnoreCase)
        && (CreatedAt - other.CreatedAt).Duration() <= DuplicateWindow;

    public void RecordVent(VentRecord vent)
    {
        Expect(ComplaintStep.Vent);
        _vents.Add(vent);
        MoveTo(ComplaintStep.Apologise);
    }

    public void RecordApology(ApologyRecord apology)
    {
        Expect(ComplaintStep.Apologise);
        _apologies.Add(apology);
        MoveTo(ComplaintStep.Probe);
    }

    public void RecordProbe(ProbeRecord probe)
    {
        Expect(ComplaintStep.Probe);
        _probes.Add(probe);
        MoveTo(ComplaintStep.Propose);
    }

    /// <summary>
    /// Records the proposal and decides, from the proposer's roles and the authority limits, whether it
    /// goes straight to the customer (<see cref="ComplaintStep.Confirm"/>) or to an approver
    /// (<see cref="ComplaintStep.Approval"/>). Returns whether it was within authority.
    /// </summary>
    public bool ProposeRemedy(RemedyProposal proposal, IEnumerable<string> proposerRoles, IEnumerable<AuthorityLimit> limits)
    {
        Expect(ComplaintStep.Propose);
        if (_proposals.Any(p => p.Id == proposal.Id))
            throw new DomainException(DomainRules.StepOutOfOrder, DomainMessages.ProposalAlreadyMade, proposal.Id, Reference);
        var withinAuthority = AuthorityPolicy.IsWithinAuthority(proposal.ProposedBy, proposerRoles, proposal, limits);
        proposal.Submit(_proposals.Count + 1, withinAuthority);
        _proposals.Add(proposal);
        MoveTo(withinAuthority ? ComplaintStep.Confirm : ComplaintStep.Approval);
        return withinAuthority;
    }

    /// <summary>Approved: on to the customer. Rejected: back to Propose for a new proposal. The approver can never be the proposer.</summary>
    public void RecordApproval(CompensationApproval approval)
    {
        Expect(ComplaintStep.Approval);
        CurrentProposal!.Decide(approval);
        MoveTo(approval.Approved ? ComplaintStep.Confirm : ComplaintStep.Propose);
    }

    /// <summary>
    /// Accepted: the remedy is delivered next. Rejected: back to Propose, except that the
    /// <see cref="RejectionsBeforeWorkOrder"/>th rejection writes a work order for a supervisor.
    /// </summary>
    public void RecordCustomerResponse(CustomerConfirmation confirmation)
    {
        Expect(ComplaintStep.Confirm);
        confirmation.AttachTo(CurrentProposal!.Id);
        _confirmations.Add(confirmation);
        if (confirmation.Accepted)
        {
            MoveTo(ComplaintStep.Deliver);
        }
        else if (Rejections >= RejectionsBeforeWorkOrder)
        {
            MoveTo(ComplaintStep.Propose);
            Escalate(WorkOrderTrigger.ThirdRejection, confirmation.RecordedBy,
                $"The customer rejected {Rejections} proposed remedies; last reason: {confirmation.Reason}", confirmation.RecordedAt);
        }
        else
        {
            MoveTo(ComplaintStep.Propose);
        }
    }

    public void MarkRemedyDelivered(DateTimeOffset deliveredAt, DateTimeOffset callbackDueAt)
    {
        Expect(ComplaintStep.Deliver);
        if (callbackDueAt < deliveredAt)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.CallbackBeforeDelivery);
        CurrentProposal!.MarkDelivered(deliveredAt);
        CallbackDueAt = callbackDueAt;
        MoveTo(ComplaintStep.AwaitFollowUp);
    }

    /// <summary>
    /// The payment (or parcel) for the accepted remedy failed: the remedy was not delivered, and the case goes back to
    /// <see cref="ComplaintStep.Propose"/> so the handler offers another way (docs/payments.md).
    /// </summary>
    public void RecordPaymentFailed()
    {
        Expect(ComplaintStep.Deliver);
        MoveTo(ComplaintStep.Propose);
    }

    /// <summary>The callback timer fired: the follow-up call is now due.</summary>
    public void MarkCallbackDue()
    {
        Expect(ComplaintStep.AwaitFollowUp);
        MoveTo(ComplaintStep.FollowUp);
    }

    /// <summary>
    /// Satisfied (4–5): closed. Otherwise reopened at Probe to find out what is still wrong.
    /// Allowed once the remedy is delivered, also before the callback is due (the customer may call first).
    /// </summary>
    public void RecordFollowUp(FollowUpRecord followUp)
    {
        Expect([ComplaintStep.AwaitFollowUp, ComplaintStep.FollowUp]);
        _followUps.Add(followUp);
        CallbackDueAt = null;
        if (followUp.IsSatisfied)
        {
            Close(followUp.RecordedAt);
        }
        else
        {
            ReopenCount++;
            MoveTo(ComplaintStep.Probe);
        }
    }

    /// <summary>The current step's SLA passed. Idempotent: the first time is kept.</summary>
    public void MarkOverdue(DateTimeOffset at)
    {
        if (Status == ComplaintStatus.Closed)
            throw new DomainException(DomainRules.ComplaintClosed, DomainMessages.ClosedCannotBeOverdue, Reference);
        if (IsOverdue) return;
        IsOverdue = true;
        OverdueSince = at;
        Version++;
    }

    /// <summary>The handler cannot finish the case: write it up as a work order (客服工单) for a supervisor.</summary>
    public WorkOrder HandToSupervisor(string handedUpBy, string reason, DateTimeOffset at)
    {
        EnsureOpen();
        return Escalate(WorkOrderTrigger.HandedUp, handedUpBy, reason, at);
    }

    /// <summary>A supervisor gave the current step a later due date: it is no longer overdue (until the new one passes).</summary>
    public void GiveMoreTime()
    {
        EnsureOpen();
        if (!IsOverdue) return;
        IsOverdue = false;
        OverdueSince = null;
        Version++;
    }

    /// <summary>The supervisor has dealt with the work order (remedy, contact, follow-up): the complaint is closed.</summary>
    public void ResolveWorkOrder(string resolvedBy, WorkOrderResolution resolution, DateTimeOffset at)
    {
        if (Status != ComplaintStatus.Escalated || WorkOrder is null)
            throw new DomainException(DomainRules.NoWorkOrder, DomainMessages.NoWorkOrder, Reference);
        WorkOrder.Resolve(resolvedBy, resolution, at);
        Close(at);
    }

    private WorkOrder Escalate(WorkOrderTrigger trigger, string handedUpBy, string reason, DateTimeOffset at)
    {
        WorkOrder = WorkOrder.Create(Contact, Summary, trigger, handedUpBy, reason, at);
        Status = ComplaintStatus.Escalated;
        Version++;
        return WorkOrder;
    }

    private void Close(DateTimeOffset at)
    {
        MoveTo(ComplaintStep.Closed);
        Status = ComplaintStatus.Closed;
        ClosedAt = at;
    }

    private void Expect(ComplaintStep step) => Expect([step]);

    private void Expect(ComplaintStep[] steps)
    {
        EnsureOpen();
        if (!steps.Contains(Step))
            throw new DomainException(DomainRules.StepOutOfOrder, DomainMessages.StepOutOfOrder, steps[^1], Reference, Step);
    }

    private void EnsureOpen()
    {
        if (Status == ComplaintStatus.Closed)
            throw new DomainException(DomainRules.ComplaintClosed, DomainMessages.ComplaintClosed, Reference);
        if (Status == ComplaintStatus.Escalated)
            throw new DomainException(DomainRules.ComplaintEscalated, DomainMessages.ComplaintEscalated, Reference);
    }

    private void MoveTo(ComplaintStep step)
    {
        Step = step;
        IsOverdue = false;
        OverdueSince = null;
        Version++;
    }
}
