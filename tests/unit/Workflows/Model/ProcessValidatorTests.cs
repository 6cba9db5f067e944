using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Model;

namespace Remediation.UnitTests.Workflows.Model;

public class ProcessValidatorTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Validate_NamesEveryProblem_WhenDefinitionHasSeveralMistakes()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("invalid-mix.bpmn"));

        void Expect(string id, string text) =>
            Assert.True(problems.Any(p => p.ElementId == id && p.Message.Contains(text, StringComparison.OrdinalIgnoreCase)),
                $"expected {id}: {text}; got:\n{string.Join('\n', problems)}");
        Expect("NoCondition", "without a condition");
        Assert.Equal(ProblemSeverity.Warning, problems.Single(p => p.ElementId == "NoCondition").Severity);
        Expect("BadSyntax", "Conditions are JavaScript: '${amount >}'");
        Expect("Pay", "No handler is registered for topic 'pay-unknown'");
        Expect("Form", "form key 'no-such-form' is unknown");
        Expect("Sub", "'not-published' is not published");
        Expect("Wait", "not an ISO 8601 duration");
        Expect("Orphan", "cannot be reached");
    }

    [Fact]
    public async Task Validate_RefusesUnsupportedElement_WhenDiagramHasBusinessRuleTask()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("business-rule.bpmn"));

        var problem = Assert.Single(problems);
        Assert.Equal("Decide_Eligibility", problem.ElementId);
        Assert.Contains("'businessRuleTask' is not supported", problem.Message);
    }

    [Fact]
    public async Task Validate_RefusesLoop_WhenCycleHasNoWaitState()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("loop-without-wait.bpmn"));

        Assert.Contains(problems, p => p.ElementId is "A" or "B" && p.Message.Contains("loops back without reaching a wait state"));
    }

    [Fact]
    public async Task Validate_RefusesDefinition_WhenThereIsNoStartEvent()
    {
        var xml = WorkflowTestHost.Fixture("call-child.bpmn").Replace("<bpmn:startEvent id=\"Start\" />", "").Replace("<bpmn:sequenceFlow id=\"F0\" sourceRef=\"Start\" targetRef=\"Approve\" />", "");
        var problems = await host.Definitions.ValidateAsync(xml);

        Assert.Contains(problems, p => p.ElementId == "call-child" && p.Message.Contains("no start event"));
    }

    [Fact]
    public async Task Publish_ReturnsProblems_AndPublishesNothing_WhenDraftIsInvalid()
    {
        var draft = await host.Definitions.SaveDraftAsync(WorkflowTestHost.Fixture("invalid-mix.bpmn"));
        var published = await host.Definitions.PublishAsync("invalid-mix");

        Assert.True(draft.IsOk);
        Assert.Equal(WorkflowOutcome.Invalid, published.Outcome);
        Assert.NotEmpty(published.Problems);
        Assert.DoesNotContain(await host.Definitions.ListAsync("invalid-mix"), d => d.Status == Remediation.Workflows.Persistence.DefinitionStatus.Published);
    }

    [Fact]
    public async Task Publish_CreatesNewVersion_AndRunningInstancesStayOnTheirVersion()
    {
        // Given v1 is running, When v2 (with a renamed first task) is published, Then the old instance stays on v1 and new ones start on v2.
        await host.PublishAsync("sequence.bpmn");
        var old = await host.StartAsync("sequence");
        await host.Definitions.SaveDraftAsync(WorkflowTestHost.Fixture("sequence.bpmn").Replace("name=\"Review complaint\"", "name=\"Review complaint v2\""));
        var v2 = await host.Definitions.PublishAsync("sequence");
        var fresh = await host.StartAsync("sequence");

        Assert.Equal(2, v2.Value!.Version);
        Assert.Equal(1, (await host.Runtime.GetInstanceAsync(old))!.DefinitionVersion);
        Assert.Equal(2, (await host.Runtime.GetInstanceAsync(fresh))!.DefinitionVersion);
        Assert.Equal("Review complaint", (await host.OpenTaskAsync(old, "Review")).Name);
        Assert.True((await host.CompleteAsync(old, "Review")).IsOk);
        Assert.Equal(["Close"], await host.ActiveAsync(old));
    }
}
