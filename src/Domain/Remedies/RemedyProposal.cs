namespace Remediation.Domain.Remedies;

/// <summary>Common remedies (002) plus compensation (001, 003).</summary>
public enum RemedyType { Apology, Repair, Replace, Refund, Compensation }

/// <summary>How compensation is given (补偿方式).</summary>
public enum CompensationMethod { Coupon, Cash, Gift }

public enum ApprovalState
{
    /// <summary>Within the proposer's authority: no approval needed.</summary>
    NotRequired,
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// Step 4 (承担责任,提出解决方案): a remedy proposed by a handler. Refunds and compensation carry a
/// positive amount; an apology carries none; repair and replacement may carry their cost.
/// </summary>
public sealed class RemedyProposal
{
    public Guid Id { get; private set; }
    /// <summary>1 for the complaint's first proposal, 2 for the next, …; set when the proposal is made.</summary>
    public int Number { get; private set; }
    public RemedyType Type { get; private set; }
    public decimal? Amount { get; private set; }
    public string? Currency { get; private set; }
    public CompensationMethod? CompensationMethod { get; private set; }
    public string Justification { get; private set; } = null!;
    public string ProposedBy { get; private set; } = null!;
    public DateTimeOffset ProposedAt { get; private set; }
    public ApprovalState ApprovalState { get; private set; }
    public CompensationApproval? Approval { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }

    public Money? Value => Amount is { } amount ? new Money(amount, Currency!) : null;

    private RemedyProposal() { }

    public static RemedyProposal Create(RemedyType type, Money? amount, CompensationMethod? method, string justification,
        string proposedBy, DateTimeOffset proposedAt)
    {
        Guard.Defined(type, DomainFields.RemedyType);
        switch (type)
        {
            case RemedyType.Apology when amount is not null:
                throw new DomainException(DomainRules.AmountNotAllowed, DomainMessages.AmountNotAllowed);
            case RemedyType.Refund or RemedyType.Compensation when amount is null:
                throw new DomainException(DomainRules.AmountRequired, DomainMessages.AmountRequired, type);
        }
        if (amount is not null && amount.Amount <= 0)
            throw new DomainException(DomainRules.AmountMustBePositive, DomainMessages.AmountMustBePositive);
        if (type == RemedyType.Compensation && method is null)
            throw new DomainException(DomainRules.CompensationMethodRequired, DomainMessages.CompensationMethodRequired);
        if (type != RemedyType.Compensation && method is not null)
            throw new DomainException(DomainRules.CompensationMethodNotAllowed, DomainMessages.CompensationMethodNotAllowed);
        if (method is { } m) Guard.Defined(m, DomainFields.CompensationMethod);

        return new RemedyProposal
        {
            Id = Guid.NewGuid(),
            Type = type,
            Amount = amount?.Amount,
            Currency = amount?.Currency,
            CompensationMethod = method,
            Justification = Guard.Required(justification, DomainFields.Justification, 4000),
            ProposedBy = Guard.Required(proposedBy, DomainFields.ProposedBy, 450),
            ProposedAt = proposedAt,
        };
    }

    internal void Submit(int number, bool withinAuthority)
    {
        Number = number;
        ApprovalState = withinAuthority ? ApprovalState.NotRequired : ApprovalState.Pending;
    }

    internal void Decide(CompensationApproval approval)
    {
        if (string.Equals(approval.ApproverUserId, ProposedBy, StringComparison.Ordinal))
            throw new DomainException(DomainRules.ApproverIsProposer, DomainMessages.ApproverIsProposer);
        Approval = approval;
        ApprovalState = approval.Approved ? ApprovalState.Approved : ApprovalState.Rejected;
    }

    internal void MarkDelivered(DateTimeOffset deliveredAt) => DeliveredAt = deliveredAt;
}

/// <summary>An approver's decision on a proposal beyond the proposer's authority. A rejection needs a reason.</summary>
public sealed record CompensationApproval
{
    public string ApproverUserId { get; private init; } = null!;
    public bool Approved { get; private init; }
    public string? Reason { get; private init; }
    public DateTimeOffset DecidedAt { get; private init; }

    private CompensationApproval() { }

    public static CompensationApproval Approve(string approverUserId, DateTimeOffset decidedAt, string? comment = null) =>
        Create(approverUserId, true, comment, decidedAt);

    public static CompensationApproval Reject(string approverUserId, string reason, DateTimeOffset decidedAt)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(DomainRules.RejectionReasonRequired, DomainMessages.ApproverRejectionReasonRequired);
        return Create(approverUserId, false, reason, decidedAt);
    }

    private static CompensationApproval Create(string approverUserId, bool approved, string? reason, DateTimeOffset decidedAt) => new()
    {
        ApproverUserId = Guard.Required(approverUserId, DomainFields.Approver, 450),
        Approved = approved,
        Reason = Guard.Optional(reason, DomainFields.Reason, 2000),
        DecidedAt = decidedAt,
    };
}
