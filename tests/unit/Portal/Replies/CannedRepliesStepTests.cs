using Remediation.Domain.Replies;
using Remediation.Portal.Replies;
using Xunit;
using ComplaintKeys = Remediation.Portal.Complaints.ComplaintProcess.FormKeys;
using ReviewKeys = Remediation.Portal.Reviews.ReviewProcess.FormKeys;

namespace Remediation.UnitTests.Portal.Replies;

/// <summary>Which step forms offer which canned replies.</summary>
public sealed class CannedRepliesStepTests
{
    [Theory]
    [InlineData(ComplaintKeys.Apologise, ReplyStep.Apologise)]
    [InlineData(ComplaintKeys.WorkOrder, ReplyStep.SupervisorNotes)]
    [InlineData(ComplaintKeys.Escalation, ReplyStep.SupervisorNotes)]
    [InlineData(ReviewKeys.Reply, ReplyStep.ReviewReply)]
    public void AStepForm_OffersItsStepsTemplates(string formKey, ReplyStep step) =>
        Assert.Equal(step, CannedRepliesViewComponent.StepFor(formKey));

    [Fact]
    public void TheApprovalForm_AndUnknownForms_OfferNone()
    {
        Assert.Null(CannedRepliesViewComponent.StepFor(ComplaintKeys.Approve));
        Assert.Null(CannedRepliesViewComponent.StepFor("quality-check"));
        Assert.Null(CannedRepliesViewComponent.StepFor(null));
    }

    [Fact]
    public void EveryStep_HasDemoTemplatesInBothLanguages()
    {
        foreach (var step in Enum.GetValues<ReplyStep>())
            foreach (var language in ReplyTemplate.Languages)
                Assert.Contains(ReplyTemplateSamples.Samples, s => s.Step == step && s.Language == language);
    }
}
