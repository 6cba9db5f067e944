using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements;

/// <summary>Twenty approvers of one parallel multi-instance task completing at the same moment.</summary>
public sealed class MultiInstanceConcurrencyTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    public Task InitializeAsync() => host.PublishAsync("mi-parallel.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<WorkflowResult[]> CompleteAtOnceAsync(IEnumerable<WorkItemView> tasks)
    {
        using var start = new ManualResetEventSlim();
        var attempts = tasks.Select(task => Task.Run(async () =>
        {
            start.Wait();
            return await host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, new WorkflowUser(task.Assignee!, []), null, $"cmd-{task.Id}"));
        })).ToList();
        start.Set();
        return await Task.WhenAll(attempts);
    }

    [Fact]
    public async Task TwentyApproversCompletingAtOnce_AllSucceed_WithExactCounters_AndTheInstanceMovesOnOnce()
    {
        // Given 20 approvers with a task each
        var approvers = Enumerable.Range(1, 20).Select(i => $"approver-{i}").ToArray();
        var id = await host.StartAsync("mi-parallel", new { approvers });
        var tasks = (await host.Runtime.GetTasksOfInstanceAsync(id)).ToList();
        Assert.Equal(20, tasks.Count);

        // When ten complete at the same moment, Then every completion counts: 10 done, 10 active.
        var firstHalf = await CompleteAtOnceAsync(tasks.Take(10));
        Assert.All(firstHalf, r => Assert.True(r.IsOk, r.Message));
        Assert.Equal((20, 10, 10), await MultiInstanceTests.CountersAsync(host, id, "Activity_approve"));

        // When the other ten complete at the same moment, Then all succeed and the instance leaves the activity exactly once.
        var secondHalf = await CompleteAtOnceAsync(tasks.Skip(10));
        Assert.All(secondHalf, r => Assert.True(r.IsOk, r.Message));

        Assert.Equal(["Activity_pay"], await host.ActiveAsync(id));
        Assert.All(await host.Runtime.GetTasksOfInstanceAsync(id), t => Assert.True(t.ElementId == "Activity_pay" || t.Status == WorkItemStatus.Completed));
        var journal = await host.Runtime.GetJournalAsync(id);
        Assert.Equal(20, journal.Count(j => j.ElementId == "Activity_approve" && j.Kind == JournalKind.Completed && j.Detail?.StartsWith("Instance ") == true));
        Assert.Single(journal, j => j.ElementId == "Activity_pay" && j.Kind == JournalKind.Entered);
        Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id), t => t.ElementId == "Activity_pay");
    }

    [Fact]
    public async Task SameApprovalCompletedTwiceAtOnce_OneWins_AndTheOtherIsToldWho()
    {
        var id = await host.StartAsync("mi-parallel", new { approvers = new[] { "kermit", "gonzo" } });
        var kermit = (await host.Runtime.GetTasksOfInstanceAsync(id)).Single(t => t.Assignee == "kermit");

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
            host.Runtime.CompleteTaskAsync(new CompleteTask(kermit.Id, new WorkflowUser("kermit", []), null, $"twice-{i}"))));

        Assert.Single(results, r => r.IsOk);
        Assert.Equal("kermit", Assert.Single(results, r => !r.IsOk).Conflict?.ActedBy);
        Assert.Equal((2, 1, 1), await MultiInstanceTests.CountersAsync(host, id, "Activity_approve"));
    }
}
