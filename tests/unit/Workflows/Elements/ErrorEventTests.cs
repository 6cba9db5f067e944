using System.Text.Json.Nodes;
using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>Business errors (issue 12, item 1): error end events, error boundary events by code or catch-all, handler-raised errors, errors from called processes.</summary>
public sealed class ErrorEventTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();

    public Task InitializeAsync() => host.PublishAsync("error-subprocess.bpmn", "error-service.bpmn", "error-child.bpmn", "error-call.bpmn", "error-uncaught.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<string?> VariableAsync(Guid id, string name) =>
        (await host.Runtime.GetInstanceAsync(id))!.Variables.GetValueOrDefault(name) is JsonNode node ? node.ToString() : null;

    private async Task RunHandlerAsync(Guid id)
    {
        var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id && o.Status == OutboxStatus.Pending));
        await host.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
    }

    [Fact]
    public async Task ErrorEndInsideSubProcess_IsCaughtOnTheSubProcess_CancellingWhatIsInside()
    {
        var id = await host.StartAsync("error-subprocess");

        await host.CompleteAsync(id, "Activity_assess", variables: new { eligible = false });

        Assert.Equal(["Activity_reject"], await host.ActiveAsync(id));
        Assert.Equal("NOT_ELIGIBLE", await VariableAsync(id, "reason"));
        Assert.Equal(WorkItemStatus.Cancelled, (await host.Runtime.GetTasksOfInstanceAsync(id)).Single(t => t.ElementId == "Activity_notes").Status);
        Assert.Contains(await host.Runtime.GetJournalAsync(id), j => j.ElementId == "Activity_check" && j.Kind == JournalKind.Cancelled && j.Detail!.Contains("NOT_ELIGIBLE"));
    }

    [Fact]
    public async Task SubProcessWithoutError_CompletesNormally()
    {
        var id = await host.StartAsync("error-subprocess");
        await host.CompleteAsync(id, "Activity_assess", variables: new { eligible = true });
        Assert.Contains("Activity_check", await host.ActiveAsync(id)); // Notes is still open inside
        await host.CompleteAsync(id, "Activity_notes");

        Assert.Equal(["Activity_pay"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task HandlerBusinessError_IsCaughtByTheBoundaryForItsCode_WithoutRetries()
    {
        var id = await host.StartAsync("error-service", new { raise = "INELIGIBLE", because = "Outside the policy period" });

        await RunHandlerAsync(id);

        Assert.Equal(["Activity_explain"], await host.ActiveAsync(id));
        Assert.Equal("Outside the policy period", await VariableAsync(id, "errorMessage"));
        var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id));
        Assert.Equal((OutboxStatus.Done, 1), (entry.Status, entry.Attempts));
        Assert.Empty((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
    }

    [Fact]
    public async Task HandlerBusinessError_WithAnotherCode_IsCaughtByTheCatchAllBoundary()
    {
        var id = await host.StartAsync("error-service", new { raise = "BLACKLISTED" });
        await RunHandlerAsync(id);
        Assert.Equal(["Activity_investigate"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task HandlerTechnicalFailure_IsRetried_ThenAnIncident_NotCaughtByTheModel()
    {
        var id = await host.StartAsync("error-service", new { crash = true });
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var entry = await host.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == id));
            if (entry.Status != OutboxStatus.Pending) break;
            await host.QueryAsync(db => db.Set<OutboxEntry>().Where(o => o.Id == entry.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, DateTime.UtcNow.AddMinutes(-1))));
            await host.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        }

        Assert.Equal(["Activity_check"], await host.ActiveAsync(id));
        var incident = Assert.Single((await host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        Assert.Equal(IncidentKind.HandlerFailed, incident.Kind);
        Assert.Contains("credit bureau unreachable", incident.Message);
    }

    [Fact]
    public async Task ErrorFromACalledProcess_IsCaughtOnTheCallActivity()
    {
        var id = await host.StartAsync("error-call");
        var child = await host.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(i => i.ParentInstanceId == id));

        await host.CompleteAsync(child.Id, "Activity_review");

        Assert.Equal(["Activity_handle"], await host.ActiveAsync(id));
        Assert.Equal("CHILD_FAILED", await VariableAsync(id, "failure"));
        Assert.Equal(InstanceStatus.Cancelled, (await host.Runtime.GetInstanceAsync(child.Id))!.Status);
    }

    [Fact]
    public async Task UncaughtError_StopsWithAnIncidentNamingTheError()
    {
        var id = await host.StartAsync("error-uncaught");

        await host.CompleteAsync(id, "Activity_review");

        var instance = (await host.Runtime.GetInstanceAsync(id))!;
        Assert.Equal(InstanceStatus.Running, instance.Status);
        var incident = Assert.Single(instance.OpenIncidents);
        Assert.Equal("Event_failed", incident.ElementId);
        Assert.Contains("'UNHANDLED'", incident.Message);
        Assert.Contains("no error boundary event", incident.Message);
    }

    [Fact]
    public async Task Publish_RefusesAnErrorEndWithoutErrorCode_AndABoundaryNamingAnUnknownError()
    {
        var xml = WorkflowTestHost.Fixture("error-uncaught.bpmn")
            .Replace("<bpmn:error id=\"Error_1\" errorCode=\"UNHANDLED\" />", "<bpmn:error id=\"Error_1\" />")
            .Replace("<bpmn:sequenceFlow id=\"Flow_2\"", "<bpmn:boundaryEvent id=\"Event_b\" attachedToRef=\"Activity_review\"><bpmn:errorEventDefinition errorRef=\"Error_missing\" /></bpmn:boundaryEvent><bpmn:sequenceFlow id=\"Flow_b\" sourceRef=\"Event_b\" targetRef=\"Event_failed\" /><bpmn:sequenceFlow id=\"Flow_2\"");

        var problems = await host.Definitions.ValidateAsync(xml);

        Assert.Contains(problems, p => p.ElementId == "Event_failed" && p.Message.Contains("errorCode"));
        Assert.Contains(problems, p => p.ElementId == "Event_b" && p.Message.Contains("'Error_missing'"));
    }
}
