using Xunit;
using System.Diagnostics;
using System.Text;
using Remediation.Workflows;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Model;

namespace Remediation.UnitTests.Workflows.Model;

public class BpmnParserTests
{
    private readonly BpmnParser parser = new(new WorkflowOptions());

    private static void AssertRefusedQuickly(Func<ParseResult> parse, string expected)
    {
        var watch = Stopwatch.StartNew();
        var result = parse();
        watch.Stop();
        Assert.Null(result.Model);
        Assert.Contains(result.Problems, p => p.ElementId == BpmnParser.DocumentId && p.Message.Contains(expected, StringComparison.OrdinalIgnoreCase));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_RefusesExternalEntity_WhenDocumentHasXxe()
    {
        // Given a DTD that would read a local file, When parsed, Then it is refused (DTDs are prohibited) and nothing is read.
        var xml = """<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&xxe;</bpmn:definitions>""";
        AssertRefusedQuickly(() => parser.Parse(xml), "DTD");
    }

    [Fact]
    public void Parse_RefusesEntityExpansion_WhenDocumentIsBillionLaughs()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++) entities.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        var xml = $"<?xml version=\"1.0\"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>";
        AssertRefusedQuickly(() => parser.Parse(xml), "DTD");
    }

    [Fact]
    public void Parse_RefusesDocument_WhenLargerThanTheCap()
    {
        // Given a 50 MB document, When parsed, Then it is refused on size before any XML is read.
        var xml = "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><!--" + new string('x', 50 * 1024 * 1024) + "--></bpmn:definitions>";
        AssertRefusedQuickly(() => parser.Parse(xml), "larger than the limit");
    }

    [Fact]
    public void Parse_RefusesDocument_WhenNested100000Deep()
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));
        AssertRefusedQuickly(() => parser.Parse(xml), "nested");
    }

    [Fact]
    public void Parse_RefusesDocument_WhenNotWellFormed()
    {
        AssertRefusedQuickly(() => parser.Parse("<bpmn:definitions"), "not well-formed");
    }

    [Fact]
    public void Parse_ReadsCamundaAttributes_WhenDiagramWasSavedByCamundaModeler()
    {
        var result = parser.Parse(WorkflowTestHost.Fixture("camunda-modeler.bpmn"));

        Assert.Empty(result.Problems);
        var model = result.Model!;
        Assert.Equal("compensation_approval", model.ProcessId);
        var task = Assert.IsType<UserTask>(model.Nodes["Activity_approve"]);
        Assert.Equal("approve-compensation", task.FormKey);
        Assert.Equal(["Approver"], task.CandidateGroups);
        Assert.Equal("P1D", task.DueDate);
        Assert.Collection(task.FormFields,
            f => { Assert.Equal("decision", f.Id); Assert.True(f.Required); Assert.Equal(["approve", "reject"], f.Values); Assert.Equal("Reject", f.ValueNames["reject"]); },
            f => { Assert.Equal("note", f.Id); Assert.False(f.Required); });
        Assert.Equal("Flow_small", model.Nodes["Gateway_amount"].DefaultFlowId);
        Assert.Equal("amount > 500", model.Flows.Single(f => f.Id == "Flow_big").Condition);
    }
}
