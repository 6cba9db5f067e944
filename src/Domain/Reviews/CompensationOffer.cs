using Remediation.Domain.Payments;

namespace Remediation.Domain.Reviews;

public enum OfferStatus { AwaitingApproval, Rejected, Approved, Paid, Accepted, NotAccepted }

/// <summary>One level's decision in an offer's approval chain.</summary>
public sealed class OfferApproval
{
    public int Level { get; private set; }
    public string Role { get; private set; } = null!;
    public string DecidedBy { get; private set; } = null!;
    public DateTimeOffset DecidedAt { get; private set; }
    public bool Approved { get; private set; }
    public string? Comment { get; private set; }

    private OfferApproval() { }

    internal OfferApproval(int level, string role, string by, DateTimeOffset at, bool approved, string? comment) =>
        (Level, Role, DecidedBy, DecidedAt, Approved, Comment) = (level, role, by, at, approved, comment);
}

/// <summary>
/// Compensation offered after a review (service recovery): what (<see cref="Method"/>), how much, and how it reaches
/// the customer (<see cref="Channel"/>), with why. It has no condition: nothing about it depends on the review being
/// changed or removed. Approved by every level of its <see cref="ApprovalRoles"/> in order; the proposer never
/// approves, nor does anyone approve twice.
/// </summary>
public sealed class CompensationOffer
{
    private readonly List<OfferApproval> _approvals = [];

    public Guid Id { get; private set; }
    public int Number { get; private set; }
    public CompensationKind Method { get; private set; }
    public decimal Amount { get; private set; }
    public string Currency { get; private set; } = null!;
    public PaymentChannel Channel { get; private set; }
    public string Justification { get; private set; } = null!;
    public string ProposedBy { get; private set; } = null!;
    public DateTimeOffset ProposedAt { get; private set; }
    /// <summary>The roles of the approval chain, in order, "|"-separated (fixed when the offer is made).</summary>
    public string ApprovalRoles { get; private set; } = null!;
    public OfferStatus Status { get; private set; }
    public string? RejectionReason { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public IReadOnlyList<OfferApproval> Approvals => _approvals;

    public Money Value => new(Amount, Currency);
    public IReadOnlyList<string> Chain => ApprovalRoles.Split('|');
    /// <summary>The payment's idempotency key (docs/reviews.md).</summary>
    public string PaymentKey => $"review-offer:{Id}";
    /// <summary>The 1-based level waiting for a decision, or null when none is.</summary>
    public int? PendingLevel => Status == OfferStatus.AwaitingApproval ? _approvals.Count + 1 : null;
    public string? PendingRole => PendingLevel is { } level ? Chain[level - 1] : null;

    private CompensationOffer() { }

    internal static CompensationOffer Create(int number, CompensationKind method, Money value, PaymentChannel channel, string justification,
        IReadOnlyList<string> chain, string proposedBy, DateTimeOffset at)
    {
        Guard.Defined(method, ReviewFields.Method);
        Guard.Defined(channel, ReviewFields.Channel);
        if (value.Amount <= 0) throw new DomainException(DomainRules.AmountMustBePositive, ReviewMessages.AmountPositive);
        return new CompensationOffer
        {
            Id = Guid.NewGuid(), Number = number, Method = method, Amount = value.Amount, Currency = value.Currency, Channel = channel,
            Justification = Guard.Required(justification, ReviewFields.Justification, 2000),
            ProposedBy = Guard.Required(proposedBy, DomainFields.ProposedBy, 450, multiLine: false), ProposedAt = at,
            ApprovalRoles = string.Join('|', chain), Status = OfferStatus.AwaitingApproval,
        };
    }

    /// <summary>Signs off the pending level. True when that was the last level (the offer is approved).</summary>
    internal bool Approve(string userId, IReadOnlyCollection<string> userRoles, DateTimeOffset at, string? comment)
    {
        var (level, role) = CheckApprover(userId, userRoles);
        _approvals.Add(new OfferApproval(level, role, userId, at, true, Guard.Optional(comment, ReviewFields.Comment, 1000)));
        if (level < Chain.Count) return false;
        Status = OfferStatus.Approved;
        return true;
    }

    /// <summary>Rejects at the pending level: the offer goes back to its proposer with the reason.</summary>
    internal void Reject(string userId, IReadOnlyCollection<string> userRoles, string reason, DateTimeOffset at)
    {
        var (level, role) = CheckApprover(userId, userRoles);
        var why = Guard.Required(reason, ReviewFields.Reason, 1000);
        _approvals.Add(new OfferApproval(level, role, userId, at, false, why));
        Status = OfferStatus.Rejected;
        RejectionReason = why;
    }

    private (int Level, string Role) CheckApprover(string userId, IReadOnlyCollection<string> userRoles)
    {
        if (PendingLevel is not { } level) throw new DomainException(ReviewRules.OfferNotPending, ReviewMessages.OfferNotPending, Number);
        if (userId == ProposedBy) throw new DomainException(ReviewRules.ApproverIsProposer, ReviewMessages.ApproverIsProposer);
        if (_approvals.Any(a => a.DecidedBy == userId)) throw new DomainException(ReviewRules.ApprovedTwice, ReviewMessages.ApprovedTwice);
        var role = Chain[level - 1];
        if (!userRoles.Contains(role)) throw new DomainException(ReviewRules.WrongApprovalRole, ReviewMessages.WrongApprovalRole, role);
        return (level, role);
    }

    internal void MarkPaid(DateTimeOffset at)
    {
        if (Status != OfferStatus.Approved) throw new DomainException(ReviewRules.OfferNotPending, ReviewMessages.OfferNotPending, Number);
        (Status, PaidAt) = (OfferStatus.Paid, at);
    }

    internal void Answer(bool accepted) => Status = accepted ? OfferStatus.Accepted : OfferStatus.NotAccepted;
}
