using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>Given an instance of migrate-v1 waiting at Vent, When an admin moves its token to Close, Then the preview says what the command then does.</summary>
public sealed class InstanceModificationTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public InstanceModificationTests() => host = new WorkflowTestHost(clock: clock);

    private IInstanceChanges Changes => host.Services.GetRequiredService<IInstanceChanges>();

    public Task InitializeAsync() => host.PublishAsync("migrate-v1.bpmn");

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<WorkflowInstance> RowAsync(Guid id) => host.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(i => i.Id == id));

    [Fact]
    public async Task Modify_CancelsTheTokenAtAAndStartsAtB_AsThePreviewSaid()
    {
        var id = await host.StartAsync("migrate");
        var vent = await host.OpenTaskAsync(id, "Vent");
        var before = await RowAsync(id);

        var choices = (await Changes.ModificationChoicesAsync(id))!;
        Assert.Equal(["Vent"], choices.Cancellable.Select(e => e.Id));
        Assert.Contains(choices.Startable, e => e.Id == "Close");
        Assert.DoesNotContain(choices.Startable, e => e.Id is "Sla" or "CloseReminder");

        var preview = await Changes.PreviewModificationAsync(id, "Vent", "Close");
        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal(["Vent"], preview.Value!.Cancelled.Select(e => e.Id));
        Assert.Equal(["Close"], preview.Value.Entered.Select(e => e.Id));
        Assert.Equal(["Close"], preview.Value.WaitsAt.Select(e => e.Id));
        Assert.Equal("Close case", preview.Value.WaitsAt[0].Name);
        Assert.Equal(InstanceStatus.Running, preview.Value.StatusAfter);
        Assert.Equal(before.Version, (await RowAsync(id)).Version); // the preview saved nothing
        Assert.Equal(vent.Id, (await host.OpenTaskAsync(id, "Vent")).Id);

        var result = await Changes.ModifyAsync(id, "Vent", "Close", "Customer already vented by phone", "admin@demo.local");

        Assert.True(result.IsOk, result.Message);
        Assert.Equal(preview.Value.WaitsAt.Select(e => e.Id), await host.ActiveAsync(id));
        var tasks = await host.Runtime.GetTasksOfInstanceAsync(id);
        Assert.Equal(WorkItemStatus.Cancelled, tasks.Single(t => t.Id == vent.Id).Status);
        Assert.Equal(WorkItemStatus.Open, tasks.Single(t => t.ElementId == "Close").Status);
        var reminder = Assert.Single(await host.QueryAsync(db => db.Set<WorkflowTimer>().Where(t => t.InstanceId == id).ToListAsync()));
        Assert.Equal(("CloseReminder", TimerStatus.Scheduled), (reminder.ElementId, reminder.Status));
        var journal = await host.Runtime.GetJournalAsync(id);
        var modified = Assert.Single(journal, j => j.Kind == JournalKind.Modified);
        Assert.Equal(("admin@demo.local", "Moved from 'Vent' to 'Close': Customer already vented by phone"), (modified.UserId, modified.Detail));
        Assert.Contains(journal, j => j is { Kind: JournalKind.Cancelled, ElementId: "Vent" });

        Assert.True((await host.CompleteAsync(id, "Close")).IsOk);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public async Task Modify_ToAnEndEvent_PreviewsAndEndsTheInstance()
    {
        var id = await host.StartAsync("migrate");

        var preview = await Changes.PreviewModificationAsync(id, "Vent", "End");
        Assert.Equal(InstanceStatus.Completed, preview.Value!.StatusAfter);
        Assert.Empty(preview.Value.WaitsAt);

        Assert.True((await Changes.ModifyAsync(id, "Vent", "End", "Duplicate complaint", "admin")).IsOk);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Theory]
    [InlineData("Review", "Close", "reason")] // no token at Review
    [InlineData("Vent", "Sla", "reason")] // a boundary event is not a place to start
    [InlineData("Vent", "Nowhere", "reason")]
    [InlineData("Vent", "Close", " ")] // no reason
    public async Task Modify_WithBadInput_IsInvalid_AndChangesNothing(string cancel, string start, string reason)
    {
        var id = await host.StartAsync("migrate");
        var before = await RowAsync(id);

        var result = await Changes.ModifyAsync(id, cancel, start, reason, "admin");

        Assert.Equal(WorkflowOutcome.Invalid, result.Outcome);
        var after = await RowAsync(id);
        Assert.Equal((before.Version, before.StateJson), (after.Version, after.StateJson));
    }
}
