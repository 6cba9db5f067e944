using Xunit;
using Remediation.Portal.Cli;

namespace Remediation.UnitTests.Portal.Cli;

public class BpmnCommandTests
{
    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Workflows", "Fixtures", name);

    [Fact]
    public void Validate_PrintsProblems_AndExitsNonZero_WhenDiagramHasUnsupportedElement()
    {
        var output = new StringWriter();
        var code = BpmnCommand.Run(["bpmn", "validate", FixturePath("business-rule.bpmn")], output);

        Assert.Equal(1, code);
        Assert.Contains("Decide_Eligibility: The element type 'businessRuleTask' is not supported", output.ToString());
    }

    [Fact]
    public void Validate_ExitsZero_WhenDiagramIsValid()
    {
        var output = new StringWriter();
        var code = BpmnCommand.Run(["bpmn", "validate", FixturePath("parallel.bpmn")], output);

        Assert.Equal(0, code);
        Assert.Contains("valid", output.ToString());
    }

    [Fact]
    public void Validate_PrintsUsage_WhenArgumentsAreWrong()
    {
        var output = new StringWriter();
        Assert.Equal(2, BpmnCommand.Run(["bpmn", "check"], output));
        Assert.Contains("usage", output.ToString());
    }
}
