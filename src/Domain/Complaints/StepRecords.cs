namespace Remediation.Domain.Complaints;

/// <summary>Step 1 (鼓励顾客发泄): the customer's account in their own words.</summary>
public sealed class VentRecord
{
    public Guid Id { get; private set; }
    public string Account { get; private set; } = null!;
    public ComplaintChannel Channel { get; private set; }
    public EmotionalState EmotionalState { get; private set; }
    public string? FactsNoted { get; private set; }
    public string RecordedBy { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }

    private VentRecord() { }

    public static VentRecord Create(string account, ComplaintChannel channel, EmotionalState emotionalState, string? factsNoted,
        string recordedBy, DateTimeOffset recordedAt) => new()
    {
        Id = Guid.NewGuid(),
        Account = Guard.Required(account, DomainFields.Account, 8000),
        Channel = Guard.Defined(channel, DomainFields.Channel),
        EmotionalState = Guard.Defined(emotionalState, DomainFields.EmotionalState),
        FactsNoted = Guard.Optional(factsNoted, DomainFields.FactsNoted, 4000),
        RecordedBy = Guard.Required(recordedBy, DomainFields.RecordedBy, 450),
        RecordedAt = recordedAt,
    };
}

/// <summary>Step 2 (道歉及感谢顾客): an apology for the experience and thanks for raising it — both, always.</summary>
public sealed class ApologyRecord
{
    public Guid Id { get; private set; }
    public bool ApologyGiven { get; private set; }
    public bool ThanksGiven { get; private set; }
    public string GivenBy { get; private set; } = null!;
    public DateTimeOffset GivenAt { get; private set; }
    public string WordsUsed { get; private set; } = null!;

    private ApologyRecord() { }

    public static ApologyRecord Create(bool apologyGiven, bool thanksGiven, string wordsUsed, string givenBy, DateTimeOffset givenAt)
    {
        if (!apologyGiven || !thanksGiven)
            throw new DomainException(DomainRules.ApologyAndThanksRequired, DomainMessages.ApologyAndThanksRequired);
        return new ApologyRecord
        {
            Id = Guid.NewGuid(),
            ApologyGiven = true,
            ThanksGiven = true,
            WordsUsed = Guard.Required(wordsUsed, DomainFields.WordsUsed, 2000),
            GivenBy = Guard.Required(givenBy, DomainFields.GivenBy, 450),
            GivenAt = givenAt,
        };
    }
}

/// <summary>The answers to the nine probe questions (提问要点, docs/business.md §1).</summary>
public sealed record ProbeAnswers
{
    /// <summary>1. What happened? (required)</summary>
    public string? WhatHappened { get; init; }
    /// <summary>2. How did it happen?</summary>
    public string? HowItHappened { get; init; }
    /// <summary>3. Which product or service? (required)</summary>
    public string? Product { get; init; }
    /// <summary>4. Why is the customer dissatisfied?</summary>
    public string? WhyDissatisfied { get; init; }
    /// <summary>5. Who was the sales/service representative involved?</summary>
    public string? RepresentativeInvolved { get; init; }
    /// <summary>6. Any other cause of dissatisfaction?</summary>
    public string? OtherCauses { get; init; }
    /// <summary>7. Is the customer being reasonable? (null = not judged)</summary>
    public bool? CustomerIsReasonable { get; init; }
    /// <summary>8. How does the customer want it resolved? (required)</summary>
    public string? DesiredResolution { get; init; }
    /// <summary>9. New or returning customer? (null = unknown)</summary>
    public bool? ReturningCustomer { get; init; }
}

/// <summary>Step 3 (提问,了解问题所在): the probe checklist answered and read back.</summary>
public sealed class ProbeRecord
{
    public Guid Id { get; private set; }
    public string WhatHappened { get; private set; } = null!;
    public string? HowItHappened { get; private set; }
    public string Product { get; private set; } = null!;
    public string? WhyDissatisfied { get; private set; }
    public string? RepresentativeInvolved { get; private set; }
    public string? OtherCauses { get; private set; }
    public bool? CustomerIsReasonable { get; private set; }
    public string DesiredResolution { get; private set; } = null!;
    public bool? ReturningCustomer { get; private set; }
    public string RecordedBy { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }

    private ProbeRecord() { }

    public static ProbeRecord Create(ProbeAnswers answers, string recordedBy, DateTimeOffset recordedAt) => new()
    {
        Id = Guid.NewGuid(),
        WhatHappened = Guard.Required(answers.WhatHappened, DomainFields.WhatHappened, 4000),
        HowItHappened = Guard.Optional(answers.HowItHappened, DomainFields.HowItHappened, 4000),
        Product = Guard.Required(answers.Product, DomainFields.Product, 500, multiLine: false),
        WhyDissatisfied = Guard.Optional(answers.WhyDissatisfied, DomainFields.WhyDissatisfied, 4000),
        RepresentativeInvolved = Guard.Optional(answers.RepresentativeInvolved, DomainFields.RepresentativeInvolved, 200, multiLine: false),
        OtherCauses = Guard.Optional(answers.OtherCauses, DomainFields.OtherCauses, 4000),
        CustomerIsReasonable = answers.CustomerIsReasonable,
        DesiredResolution = Guard.Required(answers.DesiredResolution, DomainFields.DesiredResolution, 4000),
        ReturningCustomer = answers.ReturningCustomer,
        RecordedBy = Guard.Required(recordedBy, DomainFields.RecordedBy, 450),
        RecordedAt = recordedAt,
    };

    public ProbeAnswers Answers => new()
    {
        WhatHappened = WhatHappened, HowItHappened = HowItHappened, Product = Product, WhyDissatisfied = WhyDissatisfied,
        RepresentativeInvolved = RepresentativeInvolved, OtherCauses = OtherCauses, CustomerIsReasonable = CustomerIsReasonable,
        DesiredResolution = DesiredResolution, ReturningCustomer = ReturningCustomer,
    };
}

/// <summary>Step 5 (让顾客参与意见): "请问这样解决,您还满意吗?" — accepted, or rejected with the customer's reason.</summary>
public sealed class CustomerConfirmation
{
    public Guid Id { get; private set; }
    public Guid ProposalId { get; private set; }
    public bool Accepted { get; private set; }
    public string? Reason { get; private set; }
    public string RecordedBy { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }

    private CustomerConfirmation() { }

    public static CustomerConfirmation Accept(string recordedBy, DateTimeOffset recordedAt, string? comment = null) =>
        Create(true, comment, recordedBy, recordedAt);

    public static CustomerConfirmation Reject(string reason, string recordedBy, DateTimeOffset recordedAt)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(DomainRules.RejectionReasonRequired, DomainMessages.CustomerRejectionReasonRequired);
        return Create(false, reason, recordedBy, recordedAt);
    }

    private static CustomerConfirmation Create(bool accepted, string? reason, string recordedBy, DateTimeOffset recordedAt) => new()
    {
        Id = Guid.NewGuid(),
        Accepted = accepted,
        Reason = Guard.Optional(reason, DomainFields.Reason, 2000),
        RecordedBy = Guard.Required(recordedBy, DomainFields.RecordedBy, 450),
        RecordedAt = recordedAt,
    };

    internal void AttachTo(Guid proposalId) => ProposalId = proposalId;
}

/// <summary>Step 6 (跟踪服务): the callback by phone, e-mail or letter and how satisfied the customer is (1–5).</summary>
public sealed class FollowUpRecord
{
    public const int SatisfiedFrom = 4;

    public Guid Id { get; private set; }
    public FollowUpMethod Method { get; private set; }
    public int Satisfaction { get; private set; }
    public string? Comment { get; private set; }
    public string RecordedBy { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>4 or 5 closes the complaint; 1 to 3 reopens it at Probe.</summary>
    public bool IsSatisfied => Satisfaction >= SatisfiedFrom;

    private FollowUpRecord() { }

    public static FollowUpRecord Create(FollowUpMethod method, int satisfaction, string? comment, string recordedBy, DateTimeOffset recordedAt)
    {
        if (satisfaction is < 1 or > 5)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.SatisfactionRange, satisfaction);
        return new FollowUpRecord
        {
            Id = Guid.NewGuid(),
            Method = Guard.Defined(method, DomainFields.FollowUpMethod),
            Satisfaction = satisfaction,
            Comment = Guard.Optional(comment, DomainFields.Comment, 4000),
            RecordedBy = Guard.Required(recordedBy, DomainFields.RecordedBy, 450),
            RecordedAt = recordedAt,
        };
    }
}

/// <summary>
/// A service work order (《客服工单》): customer name, phone and complaint content, handed to a
/// supervisor by a handler, or raised when the customer rejects a third proposal.
/// </summary>
public sealed class WorkOrder
{
    public Guid Id { get; private set; }
    public string CustomerName { get; private set; } = null!;
    public PhoneNumber CustomerPhone { get; private set; } = null!;
    public string ComplaintContent { get; private set; } = null!;
    public WorkOrderTrigger Trigger { get; private set; }
    public string HandedUpBy { get; private set; } = null!;
    public string Reason { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    /// <summary>The remedy given to settle the order.</summary>
    public string? Resolution { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    /// <summary>The supervisor's contact with the customer: channel, when and what was said.</summary>
    public ContactChannel? ContactChannel { get; private set; }
    public DateTimeOffset? ContactedAt { get; private set; }
    public string? ContactSummary { get; private set; }
    /// <summary>When a follow-up with the customer is scheduled; null when none is.</summary>
    public DateTimeOffset? FollowUpAt { get; private set; }

    private WorkOrder() { }

    internal static WorkOrder Create(IntakeContact contact, string content, WorkOrderTrigger trigger, string handedUpBy, string reason,
        DateTimeOffset createdAt) => new()
    {
        Id = Guid.NewGuid(),
        CustomerName = contact.ContactName,
        CustomerPhone = contact.Phone,
        ComplaintContent = content,
        Trigger = trigger,
        HandedUpBy = Guard.Required(handedUpBy, DomainFields.HandedUpBy, 450),
        Reason = Guard.Required(reason, DomainFields.Reason, 2000),
        CreatedAt = createdAt,
    };

    internal void Resolve(string resolvedBy, WorkOrderResolution resolution, DateTimeOffset resolvedAt)
    {
        var by = Guard.Required(resolvedBy, DomainFields.ResolvedBy, 450);
        if (resolution.ContactedAt > resolvedAt.AddMinutes(WorkOrderResolution.ClockSkewMinutes))
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.ContactInFuture);
        if (resolution.FollowUpAt is { } followUp && followUp <= resolvedAt)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.FollowUpInPast);
        ResolvedBy = by;
        Resolution = resolution.RemedyGiven;
        ContactChannel = resolution.Channel;
        ContactedAt = resolution.ContactedAt;
        ContactSummary = resolution.ContactSummary;
        FollowUpAt = resolution.FollowUpAt;
        ResolvedAt = resolvedAt;
    }
}

/// <summary>
/// How a supervisor settled a work order: the remedy given, the contact with the customer (channel, when, what was said) and
/// whether a follow-up is scheduled. Times are checked against the moment of resolving (<see cref="Complaint.ResolveWorkOrder"/>).
/// </summary>
public sealed record WorkOrderResolution
{
    /// <summary>A contact time entered by hand may be this far ahead of the server's clock.</summary>
    public const int ClockSkewMinutes = 5;

    public string RemedyGiven { get; }
    public ContactChannel Channel { get; }
    public DateTimeOffset ContactedAt { get; }
    public string ContactSummary { get; }
    public DateTimeOffset? FollowUpAt { get; }

    public WorkOrderResolution(string? remedyGiven, ContactChannel channel, DateTimeOffset? contactedAt, string? contactSummary, DateTimeOffset? followUpAt)
    {
        RemedyGiven = Guard.Required(remedyGiven, DomainFields.RemedyGiven, 4000);
        Channel = Guard.Defined(channel, DomainFields.ContactChannel);
        ContactedAt = contactedAt ?? throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(DomainFields.ContactedAt));
        ContactSummary = Guard.Required(contactSummary, DomainFields.ContactSummary, 2000);
        FollowUpAt = followUpAt;
    }
}
