using Remediation.Domain;
using Remediation.Domain.Payments;
using Remediation.Domain.Remedies;
using Remediation.Portal.Complaints;
using Xunit;

namespace Remediation.UnitTests.Portal.Complaints;

public sealed class ComplaintPaymentsTests
{
    private static RemedyProposal Proposal(RemedyType type, decimal? amount, CompensationMethod? method = null, string currency = "CNY") =>
        RemedyProposal.Create(type, amount is { } a ? new Money(a, currency) : null, method, "Because", "user-1", DateTimeOffset.UtcNow);

    public static TheoryData<RemedyType, decimal?, CompensationMethod?, PaymentChannel?> Channels => new()
    {
        { RemedyType.Refund, 120m, null, PaymentChannel.RefundToOriginalPayment },
        { RemedyType.Compensation, 50m, CompensationMethod.Cash, PaymentChannel.RefundToOriginalPayment },
        { RemedyType.Compensation, 50m, CompensationMethod.Coupon, PaymentChannel.StoreCredit },
        { RemedyType.Compensation, 50m, CompensationMethod.Gift, PaymentChannel.Parcel },
        { RemedyType.Replace, null, null, PaymentChannel.Parcel },
        { RemedyType.Repair, null, null, null },
        { RemedyType.Apology, null, null, null },
    };

    [Theory]
    [MemberData(nameof(Channels))]
    public void ChannelFor_EveryRemedy(RemedyType type, decimal? amount, CompensationMethod? method, PaymentChannel? channel)
    {
        Assert.Equal(channel, ComplaintPayments.ChannelFor(Proposal(type, amount, method)));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void Chinese_NamesEveryRemedy_WithoutEnglishWords(RemedyType type, decimal? amount, CompensationMethod? method, PaymentChannel? _)
    {
        foreach (var currency in new[] { "CNY", "USD", "EUR", "CHF" })
        {
            var text = ComplaintPayments.Chinese(Proposal(type, amount, method, currency));
            Assert.DoesNotMatch("[A-Za-z]", text);
        }
    }
}
