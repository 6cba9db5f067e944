using Xunit;
using Remediation.Domain;
using Remediation.Domain.Complaints;

namespace Remediation.UnitTests.Domain.Complaints;

public class StepRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ApologyRecord_Throws_UnlessApologyAndThanksBothGiven(bool apology, bool thanks)
    {
        var error = Assert.Throws<DomainException>(() => ApologyRecord.Create(apology, thanks, "Sorry", "h", Now));

        Assert.Equal(DomainRules.ApologyAndThanksRequired, error.Rule);
    }

    [Theory]
    [InlineData(null, "Kettle", "Replace", "What happened")]
    [InlineData("Leak", "", "Replace", "Which product")]
    [InlineData("Leak", "Kettle", "  ", "How the customer wants it resolved")]
    public void ProbeRecord_Throws_WhenRequiredAnswerMissing(string? what, string? product, string? resolution, string field)
    {
        var answers = new ProbeAnswers { WhatHappened = what, Product = product, DesiredResolution = resolution };

        var error = Assert.Throws<DomainException>(() => ProbeRecord.Create(answers, "h", Now));

        Assert.Equal(DomainRules.Required, error.Rule);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void CustomerConfirmation_Throws_WhenRejectedWithoutReason()
    {
        var error = Assert.Throws<DomainException>(() => CustomerConfirmation.Reject("", "h", Now));

        Assert.Equal(DomainRules.RejectionReasonRequired, error.Rule);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void FollowUpRecord_Throws_WhenSatisfactionOutsideOneToFive(int score)
    {
        Assert.Equal(DomainRules.OutOfRange,
            Assert.Throws<DomainException>(() => FollowUpRecord.Create(FollowUpMethod.Letter, score, null, "h", Now)).Rule);
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public void FollowUpRecord_IsSatisfied_FromFour(int score, bool satisfied)
    {
        Assert.Equal(satisfied, FollowUpRecord.Create(FollowUpMethod.Phone, score, null, "h", Now).IsSatisfied);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("call me")]
    [InlineData("138+0013")]
    public void IntakeContact_Throws_WhenPhoneInvalid(string phone)
    {
        var error = Assert.Throws<DomainException>(() => IntakeContact.Create("Li Wei", phone));

        Assert.Equal(DomainRules.InvalidFormat, error.Rule);
        Assert.Contains("Phone", error.Message);
    }
}
