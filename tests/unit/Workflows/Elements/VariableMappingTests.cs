using System.Text.Json.Nodes;
using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>camunda:inputOutput on tasks, camunda:in / camunda:out on call activities (issue 12, item 1).</summary>
public sealed class VariableMappingTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public VariableMappingTests() => host = new WorkflowTestHost(clock: clock);
    public Task InitializeAsync() => host.PublishAsync("call-child.bpmn", "io-mappings.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<IReadOnlyDictionary<string, object?>> VariablesAsync(Guid id) => (await host.Runtime.GetInstanceAsync(id))!.Variables;

    [Fact]
    public async Task Mappings_GiveEachElementItsInputs_AndTheProcessOnlyTheOutputs()
    {
        var id = await host.StartAsync("io-mappings", new { customerEmail = "c@example.com", caseNo = "C-42", amount = 600 });

        // The handler's payload holds the input parameters; the process keeps only the output parameter.
        var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id));
        var payload = JsonNode.Parse(entry.PayloadJson)!;
        Assert.Equal("c@example.com", payload["to"]!.GetValue<string>());
        Assert.Equal("Your complaint C-42", payload["subject"]!.GetValue<string>());
        await host.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        var afterNotify = await VariablesAsync(id);
        Assert.True(((JsonNode)afterNotify["notified"]!).GetValue<bool>());
        Assert.DoesNotContain("to", afterNotify.Keys);
        Assert.DoesNotContain("subject", afterNotify.Keys);

        // The user task's due date sees its input (limit = 1,200 > 1,000: 4 hours); completing maps decision out, limit ends with the task.
        var approve = await host.OpenTaskAsync(id, "Activity_approve");
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(4), approve.DueAt);
        await host.CompleteAsync(id, "Activity_approve", variables: new { approved = true });
        var afterApprove = await VariablesAsync(id);
        Assert.Equal("yes", ((JsonNode)afterApprove["decision"]!).GetValue<string>());
        Assert.DoesNotContain("limit", afterApprove.Keys);

        // The child gets only the camunda:in variables; the parent takes back only the camunda:out one.
        var child = await host.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(i => i.ParentInstanceId == id));
        var childVariables = await VariablesAsync(child.Id);
        Assert.Equal(["large", "requested"], childVariables.Keys.Order());
        Assert.Equal(600, ((JsonNode)childVariables["requested"]!).GetValue<int>());
        Assert.True(((JsonNode)childVariables["large"]!).GetValue<bool>());
        await host.CompleteAsync(child.Id, "Approve", variables: new { approved = false, note = "child only" });

        var afterCall = await VariablesAsync(id);
        Assert.False(((JsonNode)afterCall["childApproved"]!).GetValue<bool>());
        Assert.DoesNotContain("note", afterCall.Keys);
        Assert.DoesNotContain("requested", afterCall.Keys);
        Assert.True(((JsonNode)afterCall["approved"]!).GetValue<bool>()); // the parent's own, not overwritten by the child's
        Assert.Equal(["Activity_done"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Publish_RefusesMappingsTheEngineCannotRun()
    {
        var xml = WorkflowTestHost.Fixture("io-mappings.bpmn")
            .Replace("<camunda:inputParameter name=\"limit\">${amount * 2}</camunda:inputParameter>",
                "<camunda:inputParameter name=\"limit\"><camunda:list><camunda:value>a</camunda:value></camunda:list></camunda:inputParameter>")
            .Replace("<camunda:out source=\"approved\" target=\"childApproved\" />", "<camunda:in businessKey=\"${caseNo}\" />");

        var problems = await host.Definitions.ValidateAsync(xml);

        Assert.Contains(problems, p => p.ElementId == "Activity_approve" && p.Message.Contains("camunda:list"));
        Assert.Contains(problems, p => p.ElementId == "Activity_call" && p.Message.Contains("businessKey"));
    }
}
