using Remediation.Domain;
using Remediation.Domain.Payments;
using Remediation.Domain.Reviews;
using Xunit;

namespace Remediation.UnitTests.Domain.Reviews;

public sealed class ReviewTests
{
    internal static readonly ReviewCatalogue Catalogue = new(["Taobao", "JD", "Google"], new ReviewThresholds(),
        [CompensationKind.ReplacementGoods, CompensationKind.Coupon, CompensationKind.Cash]);
    internal static readonly ApprovalMatrix Matrix = new([new("CNY", 0, "Approver"), new("CNY", 200, "Supervisor"), new("EUR", 0, "Approver")]);
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Approver = ["Approver"];
    private static readonly string[] Supervisor = ["Supervisor"];

    internal static Review New(int rating = 1, string platform = "taobao") =>
        Review.Receive(Catalogue, platform, "tb-1", rating, "The kettle leaked.", Now.AddHours(-1), "zh", "O-1", null, "Li", "buyer-1", Now, TimeSpan.FromHours(4));

    [Theory]
    [InlineData(1, ReviewClassification.Negative)]
    [InlineData(2, ReviewClassification.Negative)]
    [InlineData(3, ReviewClassification.Middling)]
    [InlineData(4, ReviewClassification.Positive)]
    [InlineData(5, ReviewClassification.Positive)]
    public void Receive_Classifies_ByDefaultThresholds(int rating, ReviewClassification expected) => Assert.Equal(expected, New(rating).Classification);

    [Fact]
    public void Classify_UsesConfiguredThresholds()
    {
        var strict = new ReviewThresholds(NegativeAtMost: 3, PositiveAtLeast: 5);
        Assert.Equal(ReviewClassification.Negative, strict.Classify(3));
        Assert.Equal(ReviewClassification.Middling, strict.Classify(4));
        Assert.False(new ReviewThresholds(4, 3).IsValid);
    }

    [Fact]
    public void Receive_UsesConfiguredPlatformName_AndReplyDue()
    {
        var review = New();
        Assert.Equal("Taobao", review.Platform);
        Assert.Equal(Now.AddHours(4), review.ReplyDueAt);
        Assert.Equal(ReviewStatus.New, review.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Receive_Refuses_RatingOutOfRange(int rating) =>
        Assert.Equal(ReviewRules.RatingRange, Assert.Throws<DomainException>(() => New(rating)).Rule);

    [Fact]
    public void Receive_Refuses_UnknownPlatform() =>
        Assert.Equal(ReviewRules.UnknownPlatform, Assert.Throws<DomainException>(() => New(platform: "eBay")).Rule);

    [Fact]
    public void ProposeOffer_Refuses_MethodOutsideCatalogue()
    {
        var e = Assert.Throws<DomainException>(() => New().ProposeOffer(Catalogue, Matrix, CompensationKind.Points, new Money(10, "CNY"), PaymentChannel.Alipay, "x", "h", Now));
        Assert.Equal(ReviewRules.MethodNotInCatalogue, e.Rule);
    }

    [Fact]
    public void ProposeOffer_Refuses_CurrencyWithoutApprovalLevel()
    {
        var e = Assert.Throws<DomainException>(() => New().ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(10, "USD"), PaymentChannel.Alipay, "x", "h", Now));
        Assert.Equal(ReviewRules.NoApprovalLevel, e.Rule);
    }

    [Fact]
    public void OneLevel_ApprovedByOneApprover()
    {
        var review = New();
        var offer = review.ProposeOffer(Catalogue, Matrix, CompensationKind.Coupon, new Money(50, "CNY"), PaymentChannel.StoreCredit, "Leaking kettle", "handler", Now);
        Assert.Equal(["Approver"], offer.Chain);
        Assert.True(review.ApproveOffer("approver", Approver, Now, null));
        Assert.Equal(OfferStatus.Approved, offer.Status);
        Assert.Equal(ReviewStatus.OfferApproved, review.Status);
    }

    [Fact]
    public void TwoLevels_ApproveInOrder()
    {
        var review = New();
        var offer = review.ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(300, "CNY"), PaymentChannel.Alipay, "Leaking kettle", "handler", Now);
        Assert.Equal(["Approver", "Supervisor"], offer.Chain);
        Assert.Equal("Approver", offer.PendingRole);

        Assert.Equal(ReviewRules.WrongApprovalRole, Assert.Throws<DomainException>(() => review.ApproveOffer("sup", Supervisor, Now, null)).Rule);
        Assert.False(review.ApproveOffer("approver", Approver, Now, "ok"));
        Assert.Equal("Supervisor", offer.PendingRole);
        Assert.True(review.ApproveOffer("sup", Supervisor, Now, null));
        Assert.Equal([1, 2], offer.Approvals.Select(a => a.Level));
    }

    [Fact]
    public void RejectionAtLevelTwo_ReturnsOfferToProposer_WithReason()
    {
        var review = New();
        var offer = review.ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(300, "CNY"), PaymentChannel.Alipay, "Leaking kettle", "handler", Now);
        review.ApproveOffer("approver", Approver, Now, null);
        review.RejectOffer("sup", Supervisor, "Too much for a kettle", Now);

        Assert.Equal(OfferStatus.Rejected, offer.Status);
        Assert.Equal("Too much for a kettle", offer.RejectionReason);
        Assert.Equal("handler", offer.ProposedBy);
        Assert.Equal("handler", review.HandlerId);
        Assert.Null(offer.PendingLevel);
        // The proposer may make a new offer.
        var second = review.ProposeOffer(Catalogue, Matrix, CompensationKind.Coupon, new Money(100, "CNY"), PaymentChannel.StoreCredit, "Coupon instead", "handler", Now);
        Assert.Equal(2, second.Number);
    }

    [Fact]
    public void Reject_RequiresReason() =>
        Assert.Equal(DomainRules.Required, Assert.Throws<DomainException>(() =>
        {
            var review = New();
            review.ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(30, "CNY"), PaymentChannel.Alipay, "x", "handler", Now);
            review.RejectOffer("approver", Approver, " ", Now);
        }).Rule);

    [Fact]
    public void Proposer_NeverApproves()
    {
        var review = New();
        review.ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(30, "CNY"), PaymentChannel.Alipay, "x", "all", Now);
        var e = Assert.Throws<DomainException>(() => review.ApproveOffer("all", ["Approver", "Handler"], Now, null));
        Assert.Equal(ReviewRules.ApproverIsProposer, e.Rule);
        Assert.Equal(ReviewRules.ApproverIsProposer, Assert.Throws<DomainException>(() => review.RejectOffer("all", Approver, "no", Now)).Rule);
    }

    [Fact]
    public void SamePersonTwiceInOneChain_IsRefused()
    {
        var review = New();
        review.ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(300, "CNY"), PaymentChannel.Alipay, "x", "handler", Now);
        string[] both = ["Approver", "Supervisor"];
        review.ApproveOffer("boss", both, Now, null);
        Assert.Equal(ReviewRules.ApprovedTwice, Assert.Throws<DomainException>(() => review.ApproveOffer("boss", both, Now, null)).Rule);
        Assert.True(review.ApproveOffer("other", both, Now, null));
    }

    [Fact]
    public void FullFlow_RepliedOfferPaidAccepted_Closes()
    {
        var review = New();
        review.Reply("Sorry about the kettle.", "handler", Now);
        var offer = review.ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(30, "CNY"), PaymentChannel.Alipay, "x", "handler", Now);
        review.ApproveOffer("approver", Approver, Now, null);
        review.MarkOfferPaid(Now);
        review.TellCustomer("We have refunded CNY 30 by Alipay.", "handler", Now);
        review.RecordAnswer(CustomerAnswer.Accepted, null, "handler", Now);

        Assert.Equal(ReviewOutcome.Accepted, review.Outcome);
        Assert.Equal(OfferStatus.Accepted, offer.Status);
        Assert.Equal($"review-offer:{offer.Id}", offer.PaymentKey);
        Assert.Equal(ReviewRules.ReviewClosed, Assert.Throws<DomainException>(() => review.Reply("more", "h", Now)).Rule);
    }

    [Fact]
    public void PositiveReview_ThankYouReply_Closes()
    {
        var review = New(5);
        Assert.Equal(DomainRules.Required, Assert.Throws<DomainException>(() => review.CloseAfterReply("h", Now)).Rule);
        review.Reply("Thank you!", "h", Now);
        review.CloseAfterReply("h", Now);
        Assert.Equal(ReviewOutcome.Replied, review.Outcome);
    }

    [Fact]
    public void CloseManually_RequiresReason()
    {
        var review = New();
        Assert.Throws<DomainException>(() => review.CloseManually("", "h", Now));
        review.CloseManually("Spam review", "h", Now);
        Assert.Equal((ReviewOutcome.ClosedManually, "Spam review"), (review.Outcome!.Value, review.CloseReason));
    }

    [Fact]
    public void AuthorEdit_AfterCompensation_IsFlaggedForAudit_ButNotBefore()
    {
        var before = New();
        before.RecordAuthorEdit(2, "Still leaks", Now);
        Assert.False(before.FlaggedForAudit);

        var after = New();
        after.ProposeOffer(Catalogue, Matrix, CompensationKind.Cash, new Money(30, "CNY"), PaymentChannel.Alipay, "x", "handler", Now);
        after.ApproveOffer("approver", Approver, Now, null);
        after.RecordAuthorEdit(5, "Great service", Now);
        Assert.True(after.FlaggedForAudit);
        Assert.Equal((1, "The kettle leaked."), (after.PreviousRating!.Value, after.PreviousText));
        Assert.Equal(5, after.Rating);
    }

    [Fact]
    public void ApprovalMatrix_Validate_NamesBadLevels()
    {
        var problems = new ApprovalMatrix([new("yuan", -1, "")]).Validate();
        Assert.Equal(3, problems.Count);
    }
}
