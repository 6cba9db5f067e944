namespace Remediation.Portal.Payments;

/// <summary>
/// The contract between a process that pays (complaint compensation, review compensation) and the payment slice.
/// Before the <see cref="RequestTopic"/> service task the process holds the <see cref="Variables"/>; the task sends one
/// instruction to the payment gateway, keyed by <see cref="Variables.PaymentKey"/> (the approved offer or proposal, so a
/// retry never pays twice). The process then waits at an intermediate message catch event for
/// <see cref="ConfirmedMessage"/>, which the payment slice correlates to the instance when the gateway confirms.
/// </summary>
public static class PaymentProcess
{
    public const string RequestTopic = "payment.request";
    public const string ConfirmedMessage = "payment-confirmed";

    public static class Variables
    {
        /// <summary>Idempotency key: "review-offer:{offerId}" or "complaint-proposal:{proposalId}".</summary>
        public const string PaymentKey = "paymentKey";
        /// <summary>Decimal amount (0 for goods sent by parcel without a value).</summary>
        public const string Amount = "paymentAmount";
        /// <summary>ISO 4217 code.</summary>
        public const string Currency = "paymentCurrency";
        /// <summary>A <see cref="Remediation.Domain.Payments.PaymentChannel"/> name.</summary>
        public const string Channel = "paymentChannel";
        /// <summary>The customer's id (Guid string).</summary>
        public const string CustomerId = "customerId";
        /// <summary>What the payment is for, shown to staff and sent to the gateway (e.g. "Review R-2026-000123: coupon").</summary>
        public const string Description = "paymentDescription";
    }
}
