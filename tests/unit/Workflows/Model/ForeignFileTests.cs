using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Model;

/// <summary>Files from other tools (issue 12, item 2): each rule over a fixture in the style of Camunda Modeler, parsed, validated and run.</summary>
public sealed class ForeignFileTests : IAsyncLifetime
{
    private readonly BpmnParser parser = new(new WorkflowOptions());
    private readonly WorkflowTestHost host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await host.DisposeAsync();

    private static string Lines(IEnumerable<ValidationProblem> problems) => string.Join('\n', problems);

    [Fact]
    public void Parse_GeneratesStableId_WhenFlowHasNoId()
    {
        // Given two flows without an id, When the file is parsed twice, Then both parses give each flow the same id, from its source and target.
        var xml = WorkflowTestHost.Fixture("flow-without-id.bpmn");
        var first = parser.Parse(xml).Model!;
        var second = parser.Parse(xml).Model!;

        Assert.Equal(["Flow_StartEvent_1_to_Activity_review", "Flow_Activity_review_to_Event_done"], first.Flows.Select(f => f.Id));
        Assert.Equal(first.Flows.Select(f => f.Id), second.Flows.Select(f => f.Id));
        Assert.Equal("Activity_review", first.Nodes["StartEvent_1"].Outgoing.Single().TargetId);
    }

    [Fact]
    public void Parse_GivesEachFlowItsOwnId_WhenTwoFlowsWithoutIdJoinTheSameElements()
    {
        var xml = WorkflowTestHost.Fixture("flow-without-id.bpmn").Replace(
            "<bpmn:sequenceFlow sourceRef=\"Activity_review\" targetRef=\"Event_done\" />",
            "<bpmn:sequenceFlow sourceRef=\"Activity_review\" targetRef=\"Event_done\" /><bpmn:sequenceFlow sourceRef=\"Activity_review\" targetRef=\"Event_done\" />");

        var ids = parser.Parse(xml).Model!.Flows.Select(f => f.Id).ToList();

        Assert.Equal(["Flow_StartEvent_1_to_Activity_review", "Flow_Activity_review_to_Event_done", "Flow_Activity_review_to_Event_done_2"], ids);
    }

    [Fact]
    public async Task Validate_WarnsNamingSourceAndTarget_AndReportsNothingUnreachable_WhenFlowHasNoId()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("flow-without-id.bpmn"));

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        Assert.Contains(problems, p => p.ElementId == "Flow_StartEvent_1_to_Activity_review" && p.Message.Contains("from 'StartEvent_1' to 'Activity_review' has no id"));
        Assert.DoesNotContain(problems, p => p.Message.Contains("cannot be reached"));
    }

    [Fact]
    public async Task Publish_RunsInstance_WhenFlowsHaveNoId()
    {
        // Given the file is published (warnings only), When an instance starts and Review is completed, Then it completes.
        var draft = await host.Definitions.SaveDraftAsync(WorkflowTestHost.Fixture("flow-without-id.bpmn"));
        var published = await host.Definitions.PublishAsync(draft.Value!.ProcessId);
        Assert.True(published.IsOk, published.Message);
        Assert.Equal(2, published.Problems.Count(p => p.Severity == ProblemSeverity.Warning));

        var id = await host.StartAsync("flow-without-id");
        Assert.Equal(["Activity_review"], await host.ActiveAsync(id));
        Assert.True((await host.CompleteAsync(id, "Activity_review")).IsOk);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public void Parse_ResolvesPrefixedReferences_WhenFileUsesQNames()
    {
        var result = parser.Parse(WorkflowTestHost.Fixture("qname-references.bpmn"));

        Assert.Empty(result.Problems);
        var model = result.Model!;
        Assert.Equal("payment-received", Assert.IsType<MessageCatchEvent>(model.Nodes["WaitPaid"]).MessageName);
        Assert.Equal("Flow_wait", model.Nodes["Decide"].DefaultFlowId);
        Assert.Equal("Confirm", Assert.IsType<BoundaryTimerEvent>(model.Nodes["Remind"]).AttachedToId);
        Assert.Equal(["Remind"], ((ActivityNode)model.Nodes["Confirm"]).Boundaries.Select(b => b.Id));
        Assert.Equal(("Start", "Decide"), (model.Flows[0].SourceId, model.Flows[0].TargetId));
    }

    [Fact]
    public async Task Correlate_ResumesInstance_WhenMessageRefIsPrefixed()
    {
        // Given the catch event's messageRef is tns:Message_paid, When "payment-received" is correlated, Then the instance moves on to Confirm.
        await host.PublishAsync("qname-references.bpmn");
        var id = await host.StartAsync("qname-references", new { skip = false }, businessKey: "case-q");
        Assert.Equal(["WaitPaid"], await host.ActiveAsync(id));

        var correlated = await host.Runtime.CorrelateMessageAsync("payment-received", "case-q");

        Assert.Equal(1, correlated.Value);
        Assert.Equal(["Confirm"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Validate_WarnsButAccepts_WhenGatewayFlowHasNoCondition()
    {
        var exclusive = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("exclusive-unconditioned.bpmn"));
        var inclusive = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("inclusive-unconditioned.bpmn"));

        var warning = Assert.Single(exclusive);
        Assert.Equal(("Flow_other", ProblemSeverity.Warning), (warning.ElementId, warning.Severity));
        Assert.Contains("takes it as true", warning.Message);
        var inclusiveWarning = Assert.Single(inclusive);
        Assert.Equal(("Flow_apologise", ProblemSeverity.Warning), (inclusiveWarning.ElementId, inclusiveWarning.Severity));
    }

    [Theory]
    [InlineData(5000, "Approve")]   // Flow_big is first in document order and true
    [InlineData(10, "Review")]      // Flow_other has no condition: taken as true
    public async Task Start_TakesUnconditionedFlowAsTrue_InDocumentOrder_WhenExclusiveGatewayFlowHasNoCondition(int amount, string expected)
    {
        await host.PublishAsync("exclusive-unconditioned.bpmn");

        var id = await host.StartAsync("exclusive-unconditioned", new { amount });

        Assert.Equal([expected], await host.ActiveAsync(id));
    }

    [Theory]
    [InlineData(true, new[] { "Apologise", "Refund" })]
    [InlineData(false, new[] { "Apologise" })]
    public async Task Start_AlwaysTakesUnconditionedFlow_WhenInclusiveGatewayFlowHasNoCondition(bool refund, string[] expected)
    {
        await host.PublishAsync("inclusive-unconditioned.bpmn");

        var id = await host.StartAsync("inclusive-unconditioned", new { refund });

        Assert.Equal(expected, (await host.ActiveAsync(id)).Order());
    }

    [Fact]
    public async Task Publish_RefusesWithOneDocumentProblem_WhenProcessIsNotExecutable()
    {
        // Given a sketch with isExecutable="false" (and a service task without a topic), When published, Then one document-level error and no version.
        var validated = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("not-executable.bpmn"));
        var draft = await host.Definitions.SaveDraftAsync(WorkflowTestHost.Fixture("not-executable.bpmn"));
        var published = await host.Definitions.PublishAsync("not-executable");

        var problem = Assert.Single(validated);
        Assert.Equal((BpmnParser.DocumentId, ProblemSeverity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains("marked not executable", problem.Message);
        Assert.Contains("set isExecutable=true in the modeler", problem.Message);
        Assert.True(draft.IsOk);
        Assert.Equal(WorkflowOutcome.Invalid, published.Outcome);
        Assert.Equal([problem], published.Problems);
        Assert.DoesNotContain(await host.Definitions.ListAsync("not-executable"), d => d.Status == DefinitionStatus.Published);
    }

    [Fact]
    public void Parse_PicksTheExecutableProcess_WhenCollaborationHasANonExecutablePool()
    {
        var xml = WorkflowTestHost.Fixture("not-executable.bpmn").Replace("</bpmn:definitions>",
            "<bpmn:process id=\"customer\" isExecutable=\"false\" /></bpmn:definitions>").Replace("id=\"not-executable\" name=\"Sketch\" isExecutable=\"false\"", "id=\"not-executable\"");

        var result = parser.Parse(xml);

        Assert.Equal("not-executable", result.Model!.ProcessId);
        Assert.True(result.Model.IsExecutable);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Parse_ReportsOneDocumentProblem_WhenEveryProcessIsNotExecutable()
    {
        var xml = WorkflowTestHost.Fixture("not-executable.bpmn").Replace("</bpmn:definitions>", "<bpmn:process id=\"customer\" isExecutable=\"false\" /></bpmn:definitions>");

        var result = parser.Parse(xml);

        Assert.Null(result.Model);
        Assert.Contains("marked not executable", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void Parse_RefusesDtdInOurWords_WhenFileHasDoctype()
    {
        var result = parser.Parse(WorkflowTestHost.Fixture("with-doctype.bpmn"));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("The file contains a DTD (<!DOCTYPE …>), which is not allowed; delete the DOCTYPE declaration (BPMN files need none).", problem.Message);
        Assert.DoesNotContain("DtdProcessing", problem.Message);
    }

    [Theory]
    [InlineData("<bpmn:definitions", "line 1, position 18")]
    [InlineData("<?xml version=\"1.0\"?>\n<a><b></a>", "line 2, position 9")]
    [InlineData("<a>&undeclared;</a>", "line 1, position 5")]
    public void Parse_SaysWhereWithoutDotNetText_WhenFileIsNotWellFormed(string xml, string where)
    {
        var problem = Assert.Single(parser.Parse(xml).Problems);

        Assert.Equal($"The file is not well-formed XML at {where}; open it in the modeler or an XML editor and save it again.", problem.Message);
    }

    [Fact]
    public void Parse_DoesNotThrow_WhenTwoMessagesShareAnId()
    {
        var xml = WorkflowTestHost.Fixture("message.bpmn").Replace("<bpmn:message id=\"Msg_Paid\" name=\"payment-received\" />",
            "<bpmn:message id=\"Msg_Paid\" name=\"payment-received\" /><bpmn:message id=\"Msg_Paid\" name=\"other\" />");

        Assert.NotNull(parser.Parse(xml).Model);
    }

    [Fact]
    public async Task Validate_ReportsEachProblemOnce_WhenOthersFollowFromIt()
    {
        // Given an unsupported start event, an unsupported boundary event with a task behind it and a flow from a missing element,
        // When validated, Then those three are reported and nothing else (no "no start event", nothing "cannot be reached").
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("knock-on.bpmn"));

        Assert.True(problems.Select(p => p.ElementId).Order().SequenceEqual(["Flow_broken", "Rejected", "Start_nightly"]), Lines(problems));
    }

    [Fact]
    public async Task Validate_ReportsOnlyMissingStart_WhenProcessHasNoStartEvent()
    {
        var xml = WorkflowTestHost.Fixture("sequence.bpmn")
            .Replace("<bpmn:startEvent id=\"Start\" />", "").Replace("<bpmn:sequenceFlow id=\"F1\" sourceRef=\"Start\" targetRef=\"Review\" />", "");

        var problems = await host.Definitions.ValidateAsync(xml);

        var problem = Assert.Single(problems);
        Assert.Contains("no start event", problem.Message);
    }

    [Fact]
    public async Task Validate_StillReportsUnreachable_WhenNothingElseExplainsIt()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("invalid-mix.bpmn"));

        Assert.Contains(problems, p => p.ElementId == "Orphan" && p.Message.Contains("cannot be reached"));
        Assert.DoesNotContain(problems, p => p.ElementId != "Orphan" && p.Message.Contains("cannot be reached"));
    }

    [Fact]
    public async Task Publish_RefusesEveryUnsupportedExtension_NamingElementAndExtension()
    {
        await host.PublishAsync("call-child.bpmn");
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("unsupported-extensions.bpmn"));

        void Expect(string id, string extension) =>
            Assert.True(problems.Any(p => p.ElementId == id && p.IsError && p.Message.Contains($"'{id}' uses") && p.Message.Contains(extension)
                && p.Message.Contains("not supported yet")), $"expected {id}: {extension}; got:\n{Lines(problems)}");
        Expect("unsupported-extensions", "camunda:executionListener");
        Expect("Retry", "bpmn:standardLoopCharacteristics");
        Expect("Pick", "camunda:taskListener");
        Expect("Flow_5", "camunda:executionListener");
        Assert.Equal(4, problems.Count);

        await host.Definitions.SaveDraftAsync(WorkflowTestHost.Fixture("unsupported-extensions.bpmn"));
        Assert.Equal(WorkflowOutcome.Invalid, (await host.Definitions.PublishAsync("unsupported-extensions")).Outcome);
    }

    [Fact]
    public async Task Validate_RefusesConditionsInOurWords_WhenNeitherJavaScriptNorTranslatableJuel()
    {
        var problems = await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("juel-unsupported.bpmn"));

        Assert.True(problems.Select(p => p.ElementId).Order().SequenceEqual(["Flow_bare", "Flow_execution", "Flow_groovy", "Flow_method"]), Lines(problems));
        Assert.All(problems, p =>
        {
            Assert.True(p.IsError);
            Assert.Contains("JavaScript", p.Message);
            Assert.Contains("e.g. ${amount > 500 && status == 'open'}", p.Message);
            Assert.DoesNotContain("Unexpected", p.Message);
        });
        Assert.Contains("'${items.contains('refund') and approved}'", problems.Single(p => p.ElementId == "Flow_method").Message);
        Assert.Contains("Conditions are JavaScript", problems.Single(p => p.ElementId == "Flow_method").Message);
        Assert.Contains("'execution' object", problems.Single(p => p.ElementId == "Flow_execution").Message);
        Assert.Contains("'groovy'", problems.Single(p => p.ElementId == "Flow_groovy").Message);
        Assert.Contains("'amount > 500' is not an expression", problems.Single(p => p.ElementId == "Flow_bare").Message);
    }

    [Fact]
    public async Task Start_RoutesLikeCamunda_WhenConditionsAreJuel()
    {
        // Given the JUEL fixture is published without problems, When approved=false, amount=5000, tier='vip', note='',
        // Then the inclusive split takes Rejected, VipApproval and AskForNote, and not Approved.
        Assert.Empty(await host.Definitions.ValidateAsync(WorkflowTestHost.Fixture("juel-conditions.bpmn")));
        await host.PublishAsync("juel-conditions.bpmn");

        var id = await host.StartAsync("juel-conditions", new { approved = false, amount = 5000, tier = "vip", note = "" });

        Assert.Equal(["AskForNote", "Rejected", "VipApproval"], (await host.ActiveAsync(id)).Order());
    }

    [Fact]
    public async Task Validate_SaysExpressionsAreJavaScript_WithoutParserText_WhenAssigneeExpressionIsBroken()
    {
        var xml = WorkflowTestHost.Fixture("sequence.bpmn").Replace("<bpmn:userTask id=\"Review\"", "<bpmn:userTask id=\"Review\" camunda:assignee=\"${owner eq}\"");

        var problem = Assert.Single(await host.Definitions.ValidateAsync(xml));

        Assert.Equal("Review", problem.ElementId);
        Assert.StartsWith("The expression '${owner eq}' is not valid JavaScript (", problem.Message);
        Assert.Contains("expressions are JavaScript", problem.Message);
    }
}
