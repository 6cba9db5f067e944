using Remediation.Domain.Reviews;
using Xunit;

namespace Remediation.UnitTests.Domain.Reviews;

public sealed class IncentiveFirewallTests
{
    [Theory]
    [InlineData("亲,麻烦您修改评价,我们给您退款。", "修改评价", "修改评价")]
    [InlineData("能不能帮忙删除差评?", "删除差评", "删除差评")]
    [InlineData("麻烦把差评删掉吧,删评后补偿您", "删评", "删评")]
    [InlineData("您把评价改成好评,我们马上补发。", "改成好评", "改成好评")]
    [InlineData("收到货后记得追评哦", "追评", "追评")]
    [InlineData("好评返现5元!", "好评返现", "好评返现")]
    [InlineData("给个五星好评吧", "给个好评", "给个五星")]
    [InlineData("晒图返现,五星好评送红包", "好评返现", "晒图返现")]
    [InlineData("麻烦您撤回一下您的差评", "删除差评", "撤回一下您的差评")]
    [InlineData("Could you update your review now that it is fixed?", "update your review", "update your review")]
    [InlineData("Please remove your review and we will refund you.", "remove your review", "remove your review")]
    [InlineData("Would you consider to change your rating to 5 stars?", "update your review", "change your rating")]
    [InlineData("We can offer a 5-star review for a refund deal.", "5-star review for a refund", "5-star review for")]
    [InlineData("Please raise your rating once the parcel arrives.", "change your rating", "raise your rating")]
    [InlineData("You get a coupon for a positive review.", "refund for a review", "coupon for a positive review")]
    [InlineData("Leave us a five star review and get 10% off", "leave a 5-star review", "Leave us a five star review")]
    public void Refuses_RequestsAndCashForPraise_InBothLanguages(string text, string phrase, string matched)
    {
        var match = IncentiveFirewall.Check(text);

        Assert.NotNull(match);
        Assert.Equal(phrase, match.Phrase);
        Assert.Equal(matched, match.MatchedText);
    }

    [Theory]
    [InlineData("修 改 评 价", "修 改 评 价")]
    [InlineData("删-差-评,谢谢", "删-差-评")]
    [InlineData("ＵＰＤＡＴＥ　ＹＯＵＲ　ＲＥＶＩＥＷ please", "ＵＰＤＡＴＥ　ＹＯＵＲ　ＲＥＶＩＥＷ")]
    [InlineData("Please   Update\tYour  REVIEW", "Update\tYour  REVIEW")]
    [InlineData("u-p-d-a-t-e your review", "u-p-d-a-t-e your review")]
    [InlineData("好评返现５元", "好评返现")]
    public void SpacingCaseAndFullWidth_DoNotHideAPhrase(string text, string? matched)
    {
        Assert.Equal(matched, IncentiveFirewall.Check(text)?.MatchedText);
    }

    [Theory]
    [InlineData("Thank you for your review, we are sorry the kettle leaked.")]
    [InlineData("Thanks for your 5-star review!")]
    [InlineData("感谢您的评价,我们已为您安排退款。")]
    [InlineData("感谢您的五星好评!")]
    [InlineData("感谢您的追评,我们会继续改进。")]
    [InlineData("我们认真阅读了您的评价,并改进了包装。")]
    [InlineData("We have read your review carefully and improved our packaging.")]
    [InlineData("If you change your mind about the replacement, just tell us.")]
    [InlineData("We will update your order and refund the shipping fee.")]
    [InlineData("您在评价中写道:“我要删除差评”,我们理解您的心情。")]
    [InlineData("You wrote: \"I will only change my review if you refund me\". We refund you because the goods were damaged.")]
    [InlineData("> Please update your review, the seller said\nThat is not our policy; we apologise.")]
    [InlineData("「修改评价」的要求不是我们提出的。")]
    [InlineData("Please update. Your review helped us find the fault.")]
    [InlineData("")]
    [InlineData(null)]
    public void InnocentTextAndQuotedCustomerWords_AreNotFlagged(string? text)
    {
        Assert.Null(IncentiveFirewall.Check(text));
    }

    [Fact]
    public void FindAll_ListsEveryMatch_InOrder()
    {
        var matches = IncentiveFirewall.FindAll("Please update your review. 好评返现 10 元。");

        Assert.Equal(["update your review", "好评返现"], matches.Select(m => m.Phrase));
        Assert.Equal([IncentiveKind.ReviewChange, IncentiveKind.CashForPraise], matches.Select(m => m.Kind));
    }
}
