using Remediation.Domain.Payments;

namespace Remediation.Domain.Reviews;

public enum ReviewStatus { New, Replied, OfferAwaitingApproval, OfferApproved, AwaitingCustomer, Closed }

/// <summary>How a review ended (the seed's flow, docs/business.md §6).</summary>
public enum ReviewOutcome
{
    /// <summary>Replied; nothing more was needed (a thank-you to a positive review).</summary>
    Replied,
    /// <summary>The customer accepted the reply or the offer (回复 → 接受).</summary>
    Accepted,
    /// <summary>The customer changed the review on their own (客户自行修改) — recorded, never requested.</summary>
    ModifiedByCustomer,
    /// <summary>The customer did not accept (不接受).</summary>
    NotAccepted,
    /// <summary>Closed by staff with a reason (人工关闭).</summary>
    ClosedManually,
}

/// <summary>The customer's answer after the reply or the offer.</summary>
public enum CustomerAnswer { Accepted, NotAccepted, ModifiedByCustomer }

public enum ReviewNoteKind { PublicReply, MessageToCustomer }

/// <summary>A public reply to the review (回评) or a message to the customer about the offer.</summary>
public sealed class ReviewNote
{
    public int Number { get; private set; }
    public ReviewNoteKind Kind { get; private set; }
    public string Text { get; private set; } = null!;
    public string WrittenBy { get; private set; } = null!;
    public DateTimeOffset WrittenAt { get; private set; }

    private ReviewNote() { }

    internal ReviewNote(int number, ReviewNoteKind kind, string text, string by, DateTimeOffset at) =>
        (Number, Kind, Text, WrittenBy, WrittenAt) = (number, kind, text, by, at);
}

/// <summary>
/// A customer's review on a sales platform (中差评 and 好评 alike) and what the shop did about it: replies, compensation
/// offers with their approval chains, and how it ended. Compensation is service recovery: nothing here depends on, or
/// asks for, the review being changed; a change the author makes after a compensation is flagged for an auditor.
/// </summary>
public sealed class Review
{
    private readonly List<ReviewNote> _notes = [];
    private readonly List<CompensationOffer> _offers = [];

    public Guid Id { get; private set; }
    public string Platform { get; private set; } = null!;
    public string ExternalId { get; private set; } = null!;
    public string? OrderReference { get; private set; }
    public Guid? CustomerId { get; private set; }
    public string? BuyerName { get; private set; }
    public string? PlatformBuyerId { get; private set; }
    public int Rating { get; private set; }
    public ReviewClassification Classification { get; private set; }
    public string Text { get; private set; } = null!;
    public DateTimeOffset PostedAt { get; private set; }
    public string? Language { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public DateTimeOffset ReplyDueAt { get; private set; }
    public ReviewStatus Status { get; private set; }
    public ReviewOutcome? Outcome { get; private set; }
    public string? CloseReason { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>The handler who last worked the review (the queue's "mine").</summary>
    public string? HandlerId { get; private set; }
    /// <summary>The complaint opened from this review, if any.</summary>
    public Guid? ComplaintId { get; private set; }
    /// <summary>The author changed the review after a compensation was approved or paid: an auditor should look.</summary>
    public bool FlaggedForAudit { get; private set; }
    public DateTimeOffset? EditedAt { get; private set; }
    public int? PreviousRating { get; private set; }
    public string? PreviousText { get; private set; }
    /// <summary>Bumped by every change; the optimistic concurrency token.</summary>
    public int Version { get; private set; }

    /// <summary>A supervisor gave the reply more time (the team view): the reply is due later.</summary>
    public void MoveReplyDue(DateTimeOffset dueAt)
    {
        if (Status != ReviewStatus.New || dueAt == ReplyDueAt) return;
        ReplyDueAt = dueAt;
        Version++;
    }

    public IReadOnlyList<ReviewNote> Notes => _notes;
    public IReadOnlyList<CompensationOffer> Offers => _offers;
    public CompensationOffer? CurrentOffer => _offers.MaxBy(o => o.Number);
    /// <summary>The instance's business key and the payment's correlation key.</summary>
    public string Key => KeyOf(Id);
    public static string KeyOf(Guid id) => $"review:{id:N}";

    private Review() { }

    public static Review Receive(ReviewCatalogue catalogue, string platform, string externalId, int rating, string text, DateTimeOffset postedAt,
        string? language, string? orderReference, Guid? customerId, string? buyerName, string? platformBuyerId, DateTimeOffset receivedAt, TimeSpan replySla)
    {
        if (rating is < 1 or > 5) throw new DomainException(ReviewRules.RatingRange, ReviewMessages.RatingRange, rating);
        if (postedAt > receivedAt.AddMinutes(5)) throw new DomainException(DomainRules.OutOfRange, ReviewMessages.PostedInFuture);
        return new Review
        {
            Id = Guid.NewGuid(),
            Platform = catalogue.Platform(platform),
            ExternalId = Guard.Required(externalId, ReviewFields.ExternalId, 100, multiLine: false),
            Rating = rating,
            Classification = catalogue.Thresholds.Classify(rating),
            Text = Guard.Required(text, ReviewFields.Text, 4000),
            PostedAt = postedAt,
            Language = Guard.Optional(language, ReviewFields.Language, 16, multiLine: false),
            OrderReference = Guard.Optional(orderReference, ReviewFields.OrderReference, 64, multiLine: false),
            CustomerId = customerId,
            BuyerName = Guard.Optional(buyerName, ReviewFields.BuyerName, 200, multiLine: false),
            PlatformBuyerId = Guard.Optional(platformBuyerId, ReviewFields.PlatformBuyerId, 100, multiLine: false),
            ReceivedAt = receivedAt,
            ReplyDueAt = receivedAt + replySla,
            Status = ReviewStatus.New,
        };
    }

    /// <summary>A public reply (回评); refused when it asks for the review to change or offers anything for praise.</summary>
    public void Reply(string text, string by, DateTimeOffset at)
    {
        EnsureOpen();
        AddNote(ReviewNoteKind.PublicReply, Firewalled(Guard.Required(text, ReviewFields.Reply, 2000)), by, at);
        if (Status == ReviewStatus.New) Status = ReviewStatus.Replied;
    }

    /// <summary>Closes after a reply when no remedy is needed.</summary>
    public void CloseAfterReply(string by, DateTimeOffset at)
    {
        EnsureOpen();
        if (!_notes.Any(n => n.Kind == ReviewNoteKind.PublicReply)) throw new DomainException(DomainRules.Required, ReviewMessages.ReplyRequired);
        Close(ReviewOutcome.Replied, null, by, at);
    }

    public CompensationOffer ProposeOffer(ReviewCatalogue catalogue, ApprovalMatrix matrix, CompensationKind method, Money value, PaymentChannel channel,
        string justification, string by, DateTimeOffset at)
    {
        EnsureOpen();
        if (CurrentOffer is { Status: OfferStatus.AwaitingApproval } pending)
            throw new DomainException(ReviewRules.OfferPending, ReviewMessages.OfferPending, pending.Number);
        var offer = CompensationOffer.Create(_offers.Count + 1, catalogue.Method(method), value, channel, justification, matrix.ChainFor(value), by, at);
        _offers.Add(offer);
        Status = ReviewStatus.OfferAwaitingApproval;
        HandlerId = by;
        Version++;
        return offer;
    }

    /// <summary>The handler decides no compensation after all (e.g. after a rejection).</summary>
    public void WithdrawRemedy(string by)
    {
        EnsureOpen();
        Status = ReviewStatus.AwaitingCustomer;
        HandlerId = by;
        Version++;
    }

    /// <summary>Signs off the pending level of the current offer; true when the offer is now approved.</summary>
    public bool ApproveOffer(string userId, IReadOnlyCollection<string> roles, DateTimeOffset at, string? comment)
    {
        EnsureOpen();
        var approved = PendingOffer().Approve(userId, roles, at, comment);
        if (approved) Status = ReviewStatus.OfferApproved;
        Version++;
        return approved;
    }

    /// <summary>Rejects the current offer; it goes back to its proposer (the process assigns the task to them).</summary>
    public void RejectOffer(string userId, IReadOnlyCollection<string> roles, string reason, DateTimeOffset at)
    {
        EnsureOpen();
        PendingOffer().Reject(userId, roles, reason, at);
        Status = ReviewStatus.Replied;
        Version++;
    }

    public void MarkOfferPaid(DateTimeOffset at)
    {
        var offer = CurrentOffer is { Status: OfferStatus.Approved } o ? o
            : throw new DomainException(ReviewRules.NoApprovedOffer, ReviewMessages.NoApprovedOffer, ExternalId);
        offer.MarkPaid(at);
        Version++;
    }

    /// <summary>Tells the customer what was approved; refused like a reply when it ties anything to the review.</summary>
    public void TellCustomer(string message, string by, DateTimeOffset at)
    {
        EnsureOpen();
        AddNote(ReviewNoteKind.MessageToCustomer, Firewalled(Guard.Required(message, ReviewFields.Message, 2000)), by, at);
        Status = ReviewStatus.AwaitingCustomer;
    }

    /// <summary>The customer's answer closes the review.</summary>
    public void RecordAnswer(CustomerAnswer answer, string? note, string by, DateTimeOffset at)
    {
        EnsureOpen();
        Guard.Defined(answer, ReviewFields.Outcome);
        if (CurrentOffer is { Status: OfferStatus.Approved or OfferStatus.Paid } offer && answer != CustomerAnswer.ModifiedByCustomer)
            offer.Answer(answer == CustomerAnswer.Accepted);
        var outcome = answer switch
        {
            CustomerAnswer.Accepted => ReviewOutcome.Accepted,
            CustomerAnswer.NotAccepted => ReviewOutcome.NotAccepted,
            _ => ReviewOutcome.ModifiedByCustomer,
        };
        Close(outcome, Guard.Optional(note, ReviewFields.Comment, 1000), by, at);
    }

    /// <summary>Closed by staff, with the reason.</summary>
    public void CloseManually(string reason, string by, DateTimeOffset at)
    {
        EnsureOpen();
        Close(ReviewOutcome.ClosedManually, Guard.Required(reason, ReviewFields.Reason, 1000), by, at);
    }

    /// <summary>
    /// The author changed the review on the platform (seen on import or recorded by staff). Recorded, never requested;
    /// flagged for an auditor when a compensation had been approved or paid.
    /// </summary>
    public void RecordAuthorEdit(int rating, string text, DateTimeOffset at)
    {
        if (rating is < 1 or > 5) throw new DomainException(ReviewRules.RatingRange, ReviewMessages.RatingRange, rating);
        var newText = Guard.Required(text, ReviewFields.Text, 4000);
        (PreviousRating, PreviousText, Rating, Text, EditedAt) = (Rating, Text, rating, newText, at);
        if (_offers.Any(o => o.Status is OfferStatus.Approved or OfferStatus.Paid or OfferStatus.Accepted or OfferStatus.NotAccepted)) FlaggedForAudit = true;
        Version++;
    }

    public void LinkComplaint(Guid complaintId)
    {
        ComplaintId = complaintId;
        Version++;
    }

    /// <summary>The incentive firewall: text to or for the customer never asks for the review to change, nor pays for praise.</summary>
    private static string Firewalled(string text) =>
        IncentiveFirewall.Check(text) is { } match
            ? throw new DomainException(ReviewRules.IncentiveRefused, ReviewMessages.IncentiveRefused, match.MatchedText, match.Phrase)
            : text;

    private CompensationOffer PendingOffer() =>
        CurrentOffer is { Status: OfferStatus.AwaitingApproval } offer ? offer
            : throw new DomainException(ReviewRules.OfferNotPending, ReviewMessages.OfferNotPending, CurrentOffer?.Number ?? 0);

    private void AddNote(ReviewNoteKind kind, string text, string by, DateTimeOffset at)
    {
        _notes.Add(new ReviewNote(_notes.Count + 1, kind, text, Guard.Required(by, DomainFields.RecordedBy, 450, multiLine: false), at));
        HandlerId = by;
        Version++;
    }

    private void Close(ReviewOutcome outcome, string? reason, string by, DateTimeOffset at)
    {
        (Status, Outcome, CloseReason, ClosedAt, HandlerId) = (ReviewStatus.Closed, outcome, reason, at, by);
        Version++;
    }

    private void EnsureOpen()
    {
        if (Status == ReviewStatus.Closed) throw new DomainException(ReviewRules.ReviewClosed, ReviewMessages.ReviewClosed, ExternalId);
    }
}
