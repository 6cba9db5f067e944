using Xunit;
using Microsoft.EntityFrameworkCore;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>Commands on connections lent by the host (SQLite in the portal).</summary>
public sealed class ConcurrencyTests() : ConcurrencyScenarios(new WorkflowTestHost());

/// <summary>The same scenarios where the host lends no connection and each command opens its context's own (SQL Server's path).</summary>
public sealed class ConcurrencyWithOwnConnectionsTests() : ConcurrencyScenarios(new WorkflowTestHost(lendConnections: false));

public abstract class ConcurrencyScenarios(WorkflowTestHost host) : IAsyncLifetime
{
    public Task InitializeAsync() => host.PublishAsync("sequence.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Complete_GivesOneSuccessAndNineteenConflicts_When20UsersCompleteTheSameTaskAtOnce()
    {
        var id = await host.StartAsync("sequence");
        var task = await host.OpenTaskAsync(id, "Review");
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (User: $"user-{i}", Result: await host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, new WorkflowUser($"user-{i}", ["Handler"]), null, $"cmd-{i}")));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Result.IsOk);
        var conflicts = results.Where(r => r.Result.Outcome == WorkflowOutcome.Conflict).ToList();
        Assert.Equal(19, conflicts.Count);
        Assert.All(conflicts, c => Assert.Equal(winner.User, c.Result.Conflict?.ActedBy));
        var journal = await host.Runtime.GetJournalAsync(id);
        Assert.Single(journal, j => j.ElementId == "Review" && j.Kind == JournalKind.Completed);
        Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id), t => t.ElementId == "Close");
    }

    [Fact]
    public async Task Claim_GivesTheTaskToExactlyOneUser_When20UsersClaimItAtOnce_Repeatedly()
    {
        // The instance's version guards a claim; it is read after the task, so a claim committed between those two reads
        // must still be seen (it was once missed under load: two users were told they took the same step).
        for (var round = 0; round < 15; round++)
        {
            var id = await host.StartAsync("sequence", businessKey: $"claim-{round}");
            var task = await host.OpenTaskAsync(id, "Review");
            using var start = new ManualResetEventSlim();
            var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return (User: $"user-{round}-{i}", Result: await host.Runtime.ClaimAsync(task.Id, new WorkflowUser($"user-{round}-{i}", ["Handler"])));
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(attempts);

            var winner = Assert.Single(results, r => r.Result.IsOk);
            Assert.All(results.Where(r => !r.Result.IsOk), r => Assert.Equal(WorkflowOutcome.Conflict, r.Result.Outcome));
            Assert.Equal(winner.User, (await host.OpenTaskAsync(id, "Review")).Assignee);
            Assert.Single(await host.Runtime.GetJournalAsync(id), j => j.Kind == JournalKind.Claimed);
        }
    }

    [Fact]
    public async Task Complete_IsNoOp_WhenCommandIdIsReplayed()
    {
        var id = await host.StartAsync("sequence");
        var task = await host.OpenTaskAsync(id, "Review");
        var command = new CompleteTask(task.Id, WorkflowTestHost.Alice, null, "same-command");

        var first = await host.Runtime.CompleteTaskAsync(command);
        var replay = await host.Runtime.CompleteTaskAsync(command);

        Assert.True(first.IsOk && !first.Replayed);
        Assert.True(replay.IsOk && replay.Replayed);
        Assert.Single(await host.Runtime.GetJournalAsync(id), j => j.ElementId == "Review" && j.Kind == JournalKind.Completed);
    }

    [Fact]
    public async Task Complete_ReturnsConflictNamingWhoAndWhen_WhenTaskWasAlreadyCompleted()
    {
        var id = await host.StartAsync("sequence");
        var task = await host.OpenTaskAsync(id, "Review");
        await host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, WorkflowTestHost.Alice, null, "a"));

        var late = await host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, WorkflowTestHost.Bob, null, "b"));

        Assert.Equal(WorkflowOutcome.Conflict, late.Outcome);
        Assert.Equal("alice", late.Conflict!.ActedBy);
        Assert.NotNull(late.Conflict.ActedAt);
        Assert.Contains("already completed by alice", late.Message);
    }

    [Fact]
    public async Task Complete_ReturnsNotFound_WhenTaskDoesNotExist()
    {
        var result = await host.Runtime.CompleteTaskAsync(new CompleteTask(Guid.NewGuid(), WorkflowTestHost.Alice, null, "x"));
        Assert.Equal(WorkflowOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task Complete_CommitsCallersChangeInSameTransaction_AndRollsItBackOnFailure()
    {
        // Given a domain change passed as the completion hook, When the command commits, Then both are saved, with the hook's variables; When the hook fails, Then neither is.
        var id = await host.StartAsync("sequence");
        var task = await host.OpenTaskAsync(id, "Review");

        var failing = () => host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, WorkflowTestHost.Alice, null, "hook-1"),
            (db, task, ct) => throw new InvalidOperationException("domain rule broken"));
        await Assert.ThrowsAsync<InvalidOperationException>(failing);
        Assert.Equal(["Review"], await host.ActiveAsync(id));

        // The hook changes rows through the command's context (a tracked entity), which commits with the engine's rows.
        var ok = await host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, WorkflowTestHost.Alice, null, "hook-2"),
            (db, task, ct) =>
            {
                db.Add(new Remediation.Portal.Data.AuditEntry { Event = "StepSaved", Detail = id.ToString(), OccurredAtUtc = DateTime.UtcNow });
                return Task.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?> { ["saved"] = true });
            });
        Assert.True(ok.IsOk);
        Assert.Equal(1, await host.QueryAsync(db => db.Set<Remediation.Portal.Data.AuditEntry>().CountAsync(a => a.Event == "StepSaved" && a.Detail == id.ToString())));
        Assert.True(((System.Text.Json.Nodes.JsonNode)(await host.Runtime.GetInstanceAsync(id))!.Variables["saved"]!).GetValue<bool>()); // the hook's variables reach the instance
    }
}
