using Remediation.Domain;
using Remediation.Domain.Payments;
using Xunit;

namespace Remediation.UnitTests.Domain.Payments;

public sealed class PaymentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static Payment Requested(decimal amount = 300m, PaymentChannel channel = PaymentChannel.Alipay) =>
        Payment.Request("review-offer:1", new Money(amount, "CNY"), channel, Guid.NewGuid(), "Review R-1: cash", Now, Guid.NewGuid(), "R-1");

    [Fact]
    public void Request_StartsRequested_WithNoAttempts()
    {
        var payment = Requested();

        Assert.Equal((PaymentStatus.Requested, 0, 300m, "CNY"), (payment.Status, payment.Attempts, payment.Value.Amount, payment.Value.Currency));
        Assert.Null(payment.SentAt);
    }

    [Theory]
    [InlineData(0, PaymentChannel.Alipay)]
    [InlineData(-5, PaymentChannel.BankTransfer)]
    [InlineData(-5, PaymentChannel.Parcel)]
    public void Request_RefusesAnAmountThatMovesNoMoney(decimal amount, PaymentChannel channel)
    {
        var e = Assert.Throws<DomainException>(() => Requested(amount, channel));
        Assert.Equal(DomainRules.AmountMustBePositive, e.Rule);
    }

    [Fact]
    public void Request_AllowsGoodsWithoutAValue_ByParcel()
    {
        var payment = Payment.Request("complaint-proposal:1", new Money(0, Payment.NoCurrency), PaymentChannel.Parcel, Guid.NewGuid(), "Replacement kettle", Now);
        Assert.Equal(0m, payment.Amount);
    }

    [Fact]
    public void Request_NeedsAKey()
    {
        var e = Assert.Throws<DomainException>(() => Payment.Request(" ", new Money(1, "CNY"), PaymentChannel.Alipay, Guid.NewGuid(), "x", Now));
        Assert.Equal(DomainRules.Required, e.Rule);
    }

    [Fact]
    public void SentThenConfirmed_KeepsEachTime_AndCountsAttempts()
    {
        var payment = Requested();
        payment.RecordAttempt();
        payment.RecordAttempt();
        payment.MarkSent("GW-1", Now.AddSeconds(1));
        payment.Confirm(null, Now.AddSeconds(5));

        Assert.Equal((PaymentStatus.Confirmed, 2, "GW-1"), (payment.Status, payment.Attempts, payment.GatewayReference));
        Assert.Equal((Now, Now.AddSeconds(1), Now.AddSeconds(5)), (payment.RequestedAt, payment.SentAt!.Value, payment.ConfirmedAt!.Value));
    }

    [Fact]
    public void Confirm_FromRequested_IsAllowed_TheGatewayTookItButItsAnswerWasLost()
    {
        var payment = Requested();
        payment.Confirm("GW-2", Now);
        Assert.Equal((PaymentStatus.Confirmed, "GW-2"), (payment.Status, payment.GatewayReference));
    }

    [Fact]
    public void Fail_RecordsTheReason()
    {
        var payment = Requested();
        payment.MarkSent("GW-1", Now);
        payment.Fail("Account closed", Now.AddMinutes(1));
        Assert.Equal((PaymentStatus.Failed, "Account closed", Now.AddMinutes(1)), (payment.Status, payment.FailureReason, payment.FailedAt!.Value));
    }

    public static TheoryData<string> IllegalMoves => new() { "confirm-confirmed", "fail-confirmed", "confirm-failed", "send-confirmed", "send-failed", "attempt-confirmed", "notify-sent" };

    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public void IllegalTransitions_Throw_AndChangeNothing(string move)
    {
        var payment = Requested();
        payment.MarkSent("GW-1", Now);
        if (move.EndsWith("confirmed")) payment.Confirm(null, Now);
        if (move.EndsWith("failed")) payment.Fail("No", Now);
        var (status, version) = (payment.Status, payment.Version);

        var e = Assert.Throws<DomainException>(() =>
        {
            switch (move.Split('-')[0])
            {
                case "confirm": payment.Confirm(null, Now); break;
                case "fail": payment.Fail("Declined", Now); break;
                case "send": payment.MarkSent("GW-2", Now); break;
                case "attempt": payment.RecordAttempt(); break;
                default: payment.MarkProcessNotified(Now); break;
            }
        });

        Assert.Equal(DomainRules.PaymentTransition, e.Rule);
        Assert.Equal((status, version, "GW-1"), (payment.Status, payment.Version, payment.GatewayReference));
    }
}
