using System.Globalization;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Payments;
using Remediation.Domain.Remedies;
using Remediation.Portal.Payments;

namespace Remediation.Portal.Complaints;

/// <summary>
/// What an accepted remedy pays, and how the customer is told about it. A refund and cash compensation go back to the
/// original payment, a coupon becomes store credit, a gift and replacement goods go by parcel (fulfilment); an apology and
/// a repair pay nothing and are delivered at once (docs/payments.md, docs/decisions.md).
/// </summary>
public static class ComplaintPayments
{
    /// <summary>The process variable the Confirm step sets: true when the accepted remedy goes through <c>payment.request</c>.</summary>
    public const string PaysVariable = "pays";

    /// <summary>The variables the Confirm step adds: <c>pays</c>, and when it pays the payment request (<see cref="PaymentRequest.ToVariables"/>).</summary>
    public static IReadOnlyDictionary<string, object?> VariablesFor(Complaint complaint)
    {
        var request = complaint.Step == ComplaintStep.Deliver ? RequestFor(complaint) : null;
        var variables = new Dictionary<string, object?> { [PaysVariable] = request is not null };
        if (request is not null)
            foreach (var (name, value) in request.ToVariables()) variables[name] = value;
        return variables;
    }

    /// <summary>The payment for the complaint's current proposal; null when it pays nothing.</summary>
    public static PaymentRequest? RequestFor(Complaint complaint)
    {
        if (complaint.CurrentProposal is not { } proposal || ChannelFor(proposal) is not { } channel) return null;
        return new PaymentRequest(PaymentProcess.Keys.ForComplaintProposal(proposal.Id), proposal.Value ?? new Money(0, Payment.NoCurrency), channel,
            complaint.CustomerId, $"Complaint {complaint.Reference}, proposal {proposal.Number}: {English(proposal)}");
    }

    /// <summary>The payment keys of the complaint's proposals (the case page shows their payments).</summary>
    public static IReadOnlyList<string> KeysOf(IEnumerable<Guid> proposalIds) => proposalIds.Select(PaymentProcess.Keys.ForComplaintProposal).ToList();

    public static PaymentChannel? ChannelFor(RemedyProposal proposal) => proposal.Type switch
    {
        RemedyType.Refund => PaymentChannel.RefundToOriginalPayment,
        RemedyType.Replace => PaymentChannel.Parcel,
        RemedyType.Compensation => proposal.CompensationMethod switch
        {
            CompensationMethod.Cash => PaymentChannel.RefundToOriginalPayment,
            CompensationMethod.Coupon => PaymentChannel.StoreCredit,
            _ => PaymentChannel.Parcel,
        },
        _ => null,
    };

    /// <summary>The remedy in words for the customer's notice, in English (no enum names).</summary>
    public static string English(RemedyProposal proposal)
    {
        var what = proposal.Type switch
        {
            RemedyType.Refund => "a refund",
            RemedyType.Replace => "replacement goods",
            RemedyType.Repair => "a repair",
            RemedyType.Apology => "an apology",
            _ => proposal.CompensationMethod switch
            {
                CompensationMethod.Cash => "cash compensation",
                CompensationMethod.Coupon => "a coupon as compensation",
                _ => "a gift as compensation",
            },
        };
        return proposal.Value is { } value ? $"{what} of {value.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {value.Currency}" : what;
    }

    /// <summary>The remedy in words for the customer's notice, in Chinese only (no English words, no enum names or currency codes).</summary>
    public static string Chinese(RemedyProposal proposal)
    {
        var what = proposal.Type switch
        {
            RemedyType.Refund => "退款",
            RemedyType.Replace => "更换商品",
            RemedyType.Repair => "维修",
            RemedyType.Apology => "道歉",
            _ => proposal.CompensationMethod switch
            {
                CompensationMethod.Cash => "现金补偿",
                CompensationMethod.Coupon => "优惠券补偿",
                _ => "礼品补偿",
            },
        };
        if (proposal.Value is not { } value) return what;
        var unit = value.Currency switch
        {
            "CNY" => "元",
            "USD" => "美元",
            "EUR" => "欧元",
            "GBP" => "英镑",
            "HKD" => "港元",
            "JPY" => "日元",
            _ => "(外币)",
        };
        return $"{what} {value.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {unit}";
    }
}
