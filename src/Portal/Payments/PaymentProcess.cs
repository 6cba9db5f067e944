using System.Globalization;
using System.Text.Json.Nodes;
using Remediation.Domain;
using Remediation.Domain.Payments;

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
        /// <summary>
        /// Set by <see cref="ConfirmedMessage"/>: "Confirmed" or "Failed" (a <see cref="PaymentStatus"/> name). A process
        /// branches on it after the catch event (<c>${paymentStatus == 'Confirmed'}</c>); a failed payment never counts as paid.
        /// </summary>
        public const string Status = "paymentStatus";
        /// <summary>Set by <see cref="ConfirmedMessage"/> when the payment failed: the gateway's reason.</summary>
        public const string FailureReason = "paymentFailureReason";
    }

    /// <summary>The idempotency keys of the two paying processes.</summary>
    public static class Keys
    {
        public static string ForComplaintProposal(Guid proposalId) => $"complaint-proposal:{proposalId}";
        public static string ForReviewOffer(Guid offerId) => $"review-offer:{offerId}";
    }
}

/// <summary>What a paying process asks for; <see cref="ToVariables"/> gives the process variables of <see cref="PaymentProcess.Variables"/>.</summary>
public sealed record PaymentRequest(string Key, Money Amount, PaymentChannel Channel, Guid CustomerId, string Description)
{
    public IReadOnlyDictionary<string, object?> ToVariables() => new Dictionary<string, object?>
    {
        [PaymentProcess.Variables.PaymentKey] = Key,
        [PaymentProcess.Variables.Amount] = Amount.Amount,
        [PaymentProcess.Variables.Currency] = Amount.Currency,
        [PaymentProcess.Variables.Channel] = Channel.ToString(),
        [PaymentProcess.Variables.CustomerId] = CustomerId.ToString(),
        [PaymentProcess.Variables.Description] = Description,
    };

    /// <summary>Reads the request from a service task's variables; a missing or malformed one throws, naming the variable.</summary>
    public static PaymentRequest FromVariables(JsonObject variables)
    {
        string Text(string name) => variables[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s : throw new InvalidOperationException($"The process variable '{name}' is missing; a {PaymentProcess.RequestTopic} task needs it.");
        var amount = variables[PaymentProcess.Variables.Amount] switch
        {
            JsonValue v when v.TryGetValue<decimal>(out var d) => d,
            JsonValue v when v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new InvalidOperationException($"The process variable '{PaymentProcess.Variables.Amount}' is missing or not a number."),
        };
        if (!Enum.TryParse<PaymentChannel>(Text(PaymentProcess.Variables.Channel), out var channel) || !Enum.IsDefined(channel))
            throw new InvalidOperationException($"The process variable '{PaymentProcess.Variables.Channel}' is not a payment channel.");
        if (!Guid.TryParse(Text(PaymentProcess.Variables.CustomerId), out var customerId))
            throw new InvalidOperationException($"The process variable '{PaymentProcess.Variables.CustomerId}' is not a customer id.");
        return new PaymentRequest(Text(PaymentProcess.Variables.PaymentKey), new Money(amount, Text(PaymentProcess.Variables.Currency)), channel,
            customerId, Text(PaymentProcess.Variables.Description));
    }
}
