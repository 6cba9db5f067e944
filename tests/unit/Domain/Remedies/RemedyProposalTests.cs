using Xunit;
using Remediation.Domain;
using Remediation.Domain.Remedies;

namespace Remediation.UnitTests.Domain.Remedies;

public class RemedyProposalTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static RemedyProposal Create(RemedyType type, Money? amount, CompensationMethod? method = null, string justification = "Faulty") =>
        RemedyProposal.Create(type, amount, method, justification, "handler-1", Now);

    [Theory]
    [InlineData(RemedyType.Refund)]
    [InlineData(RemedyType.Compensation)]
    public void Create_Throws_WhenRefundOrCompensationHasNoAmount(RemedyType type)
    {
        var error = Assert.Throws<DomainException>(() => Create(type, null, CompensationMethod.Coupon));

        Assert.Equal(DomainRules.AmountRequired, error.Rule);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Create_Throws_WhenAmountNotPositive(decimal amount)
    {
        Assert.Equal(DomainRules.AmountMustBePositive,
            Assert.Throws<DomainException>(() => Create(RemedyType.Refund, new Money(amount, "CNY"))).Rule);
    }

    [Fact]
    public void Create_Throws_WhenApologyHasAmount()
    {
        Assert.Equal(DomainRules.AmountNotAllowed,
            Assert.Throws<DomainException>(() => Create(RemedyType.Apology, new Money(10m, "CNY"))).Rule);
    }

    [Fact]
    public void Create_Throws_WhenCompensationHasNoMethod()
    {
        Assert.Equal(DomainRules.CompensationMethodRequired,
            Assert.Throws<DomainException>(() => Create(RemedyType.Compensation, new Money(10m, "CNY"))).Rule);
    }

    [Fact]
    public void Create_Throws_WhenMethodGivenForRefund()
    {
        Assert.Equal(DomainRules.CompensationMethodNotAllowed,
            Assert.Throws<DomainException>(() => Create(RemedyType.Refund, new Money(10m, "CNY"), CompensationMethod.Cash)).Rule);
    }

    [Fact]
    public void Create_Throws_WhenJustificationMissing()
    {
        var error = Assert.Throws<DomainException>(() => Create(RemedyType.Apology, null, justification: ""));

        Assert.Equal(DomainRules.Required, error.Rule);
        Assert.Contains("Justification", error.Message);
    }

    [Fact]
    public void Create_KeepsAmountAndCurrency_ForCompensation()
    {
        var proposal = Create(RemedyType.Compensation, new Money(88.50m, "cny"), CompensationMethod.Coupon);

        Assert.Equal(88.50m, proposal.Amount);
        Assert.Equal("CNY", proposal.Currency);
        Assert.Equal(new Money(88.50m, "CNY"), proposal.Value);
        Assert.Equal(CompensationMethod.Coupon, proposal.CompensationMethod);
    }

    [Theory]
    [InlineData(RemedyType.Repair)]
    [InlineData(RemedyType.Replace)]
    [InlineData(RemedyType.Apology)]
    public void Create_Allows_NoAmount_ForApologyRepairReplace(RemedyType type)
    {
        Assert.Null(Create(type, null).Amount);
    }

    [Theory]
    [InlineData("RMB1")]
    [InlineData("")]
    public void Money_Throws_WhenCurrencyNotIsoCode(string currency)
    {
        var error = Assert.Throws<DomainException>(() => new Money(1m, currency));

        Assert.Equal(DomainRules.InvalidFormat, error.Rule);
        Assert.Contains("Currency", error.Message);
    }

    [Fact]
    public void CompensationApproval_Throws_WhenRejectedWithoutReason()
    {
        Assert.Equal(DomainRules.RejectionReasonRequired,
            Assert.Throws<DomainException>(() => CompensationApproval.Reject("approver-1", " ", Now)).Rule);
    }
}
