namespace Remediation.Domain.Reviews;

/// <summary>The rule keys of review refusals (<see cref="DomainException.Rule"/>).</summary>
public static class ReviewRules
{
    public const string UnknownPlatform = "UnknownPlatform";
    public const string RatingRange = "RatingRange";
    public const string ReviewClosed = "ReviewClosed";
    public const string MethodNotInCatalogue = "MethodNotInCatalogue";
    public const string NoApprovalLevel = "NoApprovalLevel";
    public const string OfferNotPending = "OfferNotPending";
    public const string OfferPending = "OfferPending";
    public const string ApproverIsProposer = "ApproverIsProposer";
    public const string ApprovedTwice = "ApprovedTwice";
    public const string WrongApprovalRole = "WrongApprovalRole";
    public const string NoApprovedOffer = "NoApprovedOffer";
    public const string InvalidMatrix = "InvalidMatrix";
    public const string IncentiveRefused = "IncentiveRefused";
}

/// <summary>
/// The English templates of review refusals; like <see cref="DomainMessages"/> they are the keys of the portal's
/// resources (a unit test checks each has a Chinese entry).
/// </summary>
public static class ReviewMessages
{
    public const string UnknownPlatform = "Platform '{0}' is not one of the configured platforms.";
    public const string RatingRange = "Rating must be between 1 and 5, not {0}.";
    public const string ReviewClosed = "Review {0} is closed.";
    public const string MethodNotInCatalogue = "Compensation method '{0}' is not in the catalogue.";
    public const string NoApprovalLevel = "No approval level is configured for {0}; an offer in this currency cannot be approved.";
    public const string OfferNotPending = "Offer {0} is not waiting for approval.";
    public const string OfferPending = "Offer {0} is still waiting for approval.";
    public const string ApproverIsProposer = "The approver cannot approve or reject their own offer.";
    public const string ApprovedTwice = "You have already signed off an earlier level of this offer; another person must decide this level.";
    public const string WrongApprovalRole = "This level of the approval chain needs the role {0}.";
    public const string NoApprovedOffer = "Review {0} has no approved offer.";
    public const string AmountPositive = "Amount must be greater than zero.";
    public const string ReplyRequired = "Reply is required.";
    public const string ReasonRequired = "Reason is required.";
    public const string PostedInFuture = "Posted at cannot be in the future.";
    public const string LevelThresholdNegative = "Level {0}: the threshold must not be negative.";
    public const string LevelsNotIncreasing = "Level {0}: the threshold {1} must be higher than level {2}'s ({3}); list the levels from the lowest threshold up.";
    public const string LevelRoleRequired = "Level {0}: the role is required.";
    public const string LevelsRequired = "At least one level is required.";
    public const string IncentiveRefused = "Refused: “{0}” asks the customer to change or remove a review, or offers something for praise ({1}). Nothing may depend on a review; write it without that.";
}

/// <summary>Field names in review messages (translated by the UI).</summary>
public static class ReviewFields
{
    public const string Platform = "Platform";
    public const string ExternalId = "External review id";
    public const string OrderReference = "Order reference";
    public const string Text = "Review text";
    public const string Language = "Language";
    public const string BuyerName = "Buyer name";
    public const string PlatformBuyerId = "Platform buyer id";
    public const string Reply = "Reply";
    public const string Message = "Message to the customer";
    public const string Justification = "Justification";
    public const string Comment = "Comment";
    public const string Reason = "Reason";
    public const string Channel = "Payment channel";
    public const string Method = "Compensation method";
    public const string Outcome = "Outcome";
}
