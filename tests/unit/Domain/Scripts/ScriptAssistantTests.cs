using Xunit;
using Remediation.Domain.Complaints;
using Remediation.Domain.Scripts;

namespace Remediation.UnitTests.Domain.Scripts;

public class ScriptAssistantTests
{
    [Theory]
    [InlineData("Well, YOU SHOULD have read the manual.", "你应该", "YOU SHOULD")]
    [InlineData("Please calm down, sir.", "你别激动", "calm down")]
    [InlineData("Sorry, it's company policy.", "公司规定,我也没有办法", "it's company policy")]
    [InlineData("I can’t do anything, there is nothing I can do.", "我办不了,没办法", "I can’t do anything")]
    [InlineData("You're wrong about the date.", "你弄错了", "You're wrong")]
    public void FindAvoidedPhrases_FindsEnglish_CaseInsensitively(string text, string phrase, string matched)
    {
        var match = ScriptAssistant.FindAvoidedPhrases(text).First();

        Assert.Equal(phrase, match.Phrase.Chinese);
        Assert.Equal(matched, match.MatchedText);
        Assert.Equal(text.IndexOf(matched, StringComparison.Ordinal), match.Index);
    }

    [Theory]
    [InlineData("先生,你应该先看说明书。", "你应该")]
    [InlineData("我办不了,没办法。", "我办不了,没办法")]
    [InlineData("这是公司规定,我也没有办法", "公司规定,我也没有办法")]
    [InlineData("你别激动,慢慢说", "你别激动")]
    [InlineData("這是公司規定", "公司规定,我也没有办法")]
    public void FindAvoidedPhrases_FindsChinese_AsSubstring(string text, string phrase)
    {
        Assert.Contains(ScriptAssistant.FindAvoidedPhrases(text), m => m.Phrase.Chinese == phrase);
    }

    [Fact]
    public void FindAvoidedPhrases_ReportsEveryOccurrence_InOrder()
    {
        var matches = ScriptAssistant.FindAvoidedPhrases("你弄错了。Calm down. You should wait.");

        Assert.Equal(["你弄错了", "Calm down", "You should"], matches.Select(m => m.MatchedText));
    }

    [Theory]
    [InlineData("我理解您的感受,很抱歉我们让您感到失望了。")]
    [InlineData("I understand how you feel; thank you for telling us.")]
    [InlineData("The shoulder strap was torn.")]
    [InlineData("")]
    [InlineData(null)]
    public void FindAvoidedPhrases_ReturnsNothing_ForRecommendedOrNeutralText(string? text)
    {
        Assert.Empty(ScriptAssistant.FindAvoidedPhrases(text));
    }

    [Theory]
    [InlineData("Our company policy allows a full refund.")]
    [InlineData("Under our returns policy you get a new kettle.")]
    [InlineData("公司规定可以全额退款。")]
    public void FindAvoidedPhrases_DoesNotFlagPolicy_ThatGrantsSomething(string text)
    {
        Assert.Empty(ScriptAssistant.FindAvoidedPhrases(text));
    }

    [Theory]
    [InlineData("That's against our policy.", "against our policy")]
    [InlineData("Company policy doesn't allow refunds.", "Company policy doesn't")]
    [InlineData("公司规定不能退款。", "公司规定不")]
    public void FindAvoidedPhrases_FlagsPolicy_UsedToRefuse(string text, string matched)
    {
        Assert.Equal(matched, Assert.Single(ScriptAssistant.FindAvoidedPhrases(text)).MatchedText);
    }

    [Theory]
    [InlineData("The customer said the agent told her “you should read the manual” and hung up.")]
    [InlineData("客户说客服对她讲「你应该先看说明书」,然后挂了电话。")]
    [InlineData("He was told \"calm down\" twice.")]
    public void FindAvoidedPhrases_IgnoresQuotedWords(string text)
    {
        Assert.Empty(ScriptAssistant.FindAvoidedPhrases(text));
    }

    [Fact]
    public void FindAvoidedPhrases_StillFlagsTheHandlersOwnWords_OutsideAQuote()
    {
        var match = Assert.Single(ScriptAssistant.FindAvoidedPhrases("She said “it broke”. You should have kept the box."));
        Assert.Equal("You should", match.MatchedText);
    }

    [Fact]
    public void Avoided_ListsTheTenPhrasesOfTheTrainingMaterial()
    {
        Assert.Equal(10, ScriptAssistant.Avoided.Count);
        Assert.All(ScriptAssistant.Avoided, p => Assert.False(string.IsNullOrEmpty(p.English)));
    }

    [Theory]
    [InlineData(ComplaintStep.Vent, "我理解您的感受")]
    [InlineData(ComplaintStep.Apologise, "很抱歉我们让您感到失望了")]
    [InlineData(ComplaintStep.Probe, "为了尽快为您解决这个问题,我可以向您提几个小问题吗?")]
    [InlineData(ComplaintStep.Confirm, "请问这样解决,您还满意吗?")]
    public void RecommendedFor_GivesPhrasesOfThatStep(ComplaintStep step, string phrase)
    {
        var phrases = ScriptAssistant.RecommendedFor(step);

        Assert.Contains(phrases, p => p.Chinese == phrase);
        Assert.All(phrases, p => Assert.Equal(step, p.Step));
    }
}
