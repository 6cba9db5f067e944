using Remediation.Domain.Reviews;

namespace Remediation.Portal.Reviews;

/// <summary>The names review-remediation.bpmn, the engine and the portal agree on (docs/reviews.md, "Process contract").</summary>
public static class ReviewProcess
{
    public const string ProcessId = "review-remediation";
    public const string DefinitionFile = "review-remediation.bpmn";

    public static class FormKeys
    {
        public const string Reply = "review-reply";
        public const string Offer = "review-offer";
        public const string Approve = "review-approve";
        public const string TellCustomer = "review-tell-customer";
        public const string CustomerAnswer = "review-customer-answer";
        public const string Escalation = "review-escalation";

        public static readonly string[] All = [Reply, Offer, Approve, TellCustomer, CustomerAnswer, Escalation];
    }

    /// <summary>Process variables.</summary>
    public static class Variables
    {
        public const string ReviewId = "reviewId";
        public const string ReplySla = "replySla";
        /// <summary>After the reply: "close", "await" or "offer".</summary>
        public const string Remedy = "remedy";
        public const string OfferMade = "offerMade";
        /// <summary>The user id of the offer's proposer: the offer task returns to them after a rejection.</summary>
        public const string Proposer = "proposer";
        /// <summary>The role of the approval level waiting (the approval task's candidate group).</summary>
        public const string ApprovalRole = "approvalRole";
        public const string Approved = "approved";
        public const string ApprovalDone = "approvalDone";
        public const string ApprovalReason = "approvalReason";
    }

    /// <summary>
    /// What the payment slice needs once the offer's last level approved (<see cref="Payments.PaymentProcess.Variables"/>): the
    /// offer's key, amount, currency and channel, the customer and what it is for.
    /// </summary>
    public static Dictionary<string, object?> PaymentVariables(Review review, CompensationOffer offer) => new()
    {
        [Payments.PaymentProcess.Variables.PaymentKey] = offer.PaymentKey,
        [Payments.PaymentProcess.Variables.Amount] = offer.Amount,
        [Payments.PaymentProcess.Variables.Currency] = offer.Currency,
        [Payments.PaymentProcess.Variables.Channel] = offer.Channel.ToString(),
        [Payments.PaymentProcess.Variables.CustomerId] = review.CustomerId?.ToString() ?? "",
        [Payments.PaymentProcess.Variables.Description] = $"Review {review.Platform} {review.ExternalId}: {offer.Method} (offer {offer.Number})",
    };

    public static class Remedies
    {
        public const string Close = "close";
        public const string Await = "await";
        public const string Offer = "offer";
    }
}
