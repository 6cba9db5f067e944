using Remediation.Portal.Complaints;
using Xunit;

namespace Remediation.UnitTests.Portal.Complaints;

/// <summary>The acknowledgement says when the customer will hear back in words a customer reads naturally.</summary>
public sealed class AcknowledgementTextTests
{
    [Theory]
    [InlineData(30, "30 minutes", "30 分钟")]       // a Diamond customer's Vent time
    [InlineData(0.05, "1 minute", "1 分钟")]      // never "0"
    [InlineData(60, "1 hour", "1 小时")]
    [InlineData(90, "1.5 hours", "1.5 小时")]
    [InlineData(240, "4 hours", "4 小时")]
    public void Within_ReadsAsMinutesBelowAnHour_ElseHours(double minutes, string english, string chinese) =>
        Assert.Equal((english, chinese), AcknowledgeComplaintHandler.Within(TimeSpan.FromMinutes(minutes)));
}
