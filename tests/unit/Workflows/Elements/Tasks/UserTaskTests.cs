using Xunit;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.UnitTests.Workflows.Elements.Tasks;

public sealed class UserTaskTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private readonly WorkflowTestHost host;

    public UserTaskTests() => host = new WorkflowTestHost(clock: clock);
    public Task InitializeAsync() => host.PublishAsync("sequence.bpmn", "camunda-modeler.bpmn", "candidate-expression.bpmn", "candidate-users.bpmn");
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Start_CreatesWorkItem_WithFormKeyRolesAndDueDate()
    {
        var id = await host.StartAsync("sequence");
        var review = await host.OpenTaskAsync(id, "Review");
        Assert.Equal("complaint-review", review.FormKey);
        Assert.Equal(["Handler"], review.CandidateRoles);
        Assert.Null(review.Assignee);

        await host.CompleteAsync(id, "Review");
        var close = await host.OpenTaskAsync(id, "Close");
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(4), close.DueAt);
        Assert.Equal("outcome", Assert.Single(close.FormFields).Id);
    }

    [Fact]
    public async Task CandidateUsers_ByNameOrId_SeeAndMayClaimTheTask_OthersNot()
    {
        var id = await host.StartAsync("candidate-users", new { reviewer = "user-42" });
        var task = await host.OpenTaskAsync(id, "Review");
        Assert.Equal(["kermit", "user-42"], task.CandidateUsers);
        Assert.Empty(task.CandidateRoles);

        var kermit = new WorkflowUser("a1b2", ["Handler"], "Kermit"); // names match case-insensitively
        var reviewer = new WorkflowUser("user-42", []);
        var other = WorkflowTestHost.Bob;
        Assert.Contains((await host.Runtime.GetTasksForUserAsync(kermit)).Items, t => t.Id == task.Id);
        Assert.Contains((await host.Runtime.GetTasksForUserAsync(reviewer)).Items, t => t.Id == task.Id);
        Assert.DoesNotContain((await host.Runtime.GetTasksForUserAsync(other)).Items, t => t.Id == task.Id);
        Assert.True(task.IsCandidate(kermit));
        Assert.False(task.IsCandidate(other));

        Assert.Equal(WorkflowOutcome.Forbidden, (await host.Runtime.ClaimAsync(task.Id, other)).Outcome);
        Assert.True((await host.Runtime.ClaimAsync(task.Id, reviewer)).IsOk);
        Assert.True((await host.Runtime.CompleteTaskAsync(new CompleteTask(task.Id, reviewer, null, Guid.NewGuid().ToString()))).IsOk);
    }

    [Fact]
    public async Task CandidateGroups_MayBeAnExpression_EvaluatedWhenTheTaskIsCreated()
    {
        var id = await host.StartAsync("candidate_expression", new { approvalRole = "Supervisor" });
        Assert.Equal(["Supervisor"], (await host.OpenTaskAsync(id, "Approve")).CandidateRoles);

        var both = await host.StartAsync("candidate_expression", new { approvalRole = "Approver, Supervisor" });
        Assert.Equal(["Approver", "Supervisor"], (await host.OpenTaskAsync(both, "Approve")).CandidateRoles);
    }

    [Fact]
    public async Task CamundaModelerDiagram_Runs_WithGeneratedFormAndDueDate()
    {
        var id = await host.StartAsync("compensation_approval", new { amount = 800 });
        var approve = await host.OpenTaskAsync(id, "Activity_approve");
        Assert.Equal("Approve compensation", approve.Name);
        Assert.Equal(["Approver"], approve.CandidateRoles);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(1), approve.DueAt);
        Assert.Equal(["decision", "note"], approve.FormFields.Select(f => f.Id));
    }

    [Fact]
    public async Task Complete_ReturnsInvalid_AndChangesNothing_WhenRequiredFieldIsMissing()
    {
        var id = await host.StartAsync("sequence");
        await host.CompleteAsync(id, "Review");

        var result = await host.CompleteAsync(id, "Close", variables: new { note = "x" });

        Assert.Equal(WorkflowOutcome.Invalid, result.Outcome);
        Assert.Equal("outcome", Assert.Single(result.Problems).ElementId);
        Assert.Equal(["Close"], await host.ActiveAsync(id));
        Assert.True((await host.CompleteAsync(id, "Close", variables: new { outcome = "resolved" })).IsOk);
        Assert.Equal(InstanceStatus.Completed, (await host.Runtime.GetInstanceAsync(id))!.Status);
    }

    [Fact]
    public async Task Complete_ReturnsForbidden_WhenUserLacksRole()
    {
        var id = await host.StartAsync("sequence");
        var result = await host.CompleteAsync(id, "Review", WorkflowTestHost.Sam);
        Assert.Equal(WorkflowOutcome.Forbidden, result.Outcome);
        Assert.Equal(["Review"], await host.ActiveAsync(id));
    }

    [Fact]
    public async Task Claim_GivesTaskToOneUser_AndOthersGetConflictNamingHolder()
    {
        var id = await host.StartAsync("sequence");
        var task = await host.OpenTaskAsync(id, "Review");

        Assert.True((await host.Runtime.ClaimAsync(task.Id, WorkflowTestHost.Alice)).IsOk);
        var second = await host.Runtime.ClaimAsync(task.Id, WorkflowTestHost.Bob);
        var bobCompletes = await host.CompleteAsync(id, "Review", WorkflowTestHost.Bob);

        Assert.Equal(WorkflowOutcome.Conflict, second.Outcome);
        Assert.Equal("alice", second.Conflict!.ActedBy);
        Assert.Equal(WorkflowOutcome.Forbidden, bobCompletes.Outcome);
        Assert.Empty((await host.Runtime.GetTasksForUserAsync(WorkflowTestHost.Bob)).Items);
        Assert.Single((await host.Runtime.GetTasksForUserAsync(WorkflowTestHost.Alice)).Items);
    }

    [Fact]
    public async Task UnclaimAndReassign_MoveTheTask_WhenAllowed()
    {
        var id = await host.StartAsync("sequence");
        var task = await host.OpenTaskAsync(id, "Review");
        await host.Runtime.ClaimAsync(task.Id, WorkflowTestHost.Alice);

        Assert.Equal(WorkflowOutcome.Forbidden, (await host.Runtime.UnclaimAsync(task.Id, WorkflowTestHost.Bob)).Outcome);
        Assert.Equal(WorkflowOutcome.Forbidden, (await host.Runtime.ReassignAsync(task.Id, WorkflowTestHost.Bob, "bob")).Outcome);
        Assert.True((await host.Runtime.ReassignAsync(task.Id, WorkflowTestHost.Sam, "bob")).IsOk);
        Assert.Equal("bob", (await host.Runtime.GetTaskAsync(task.Id))!.Assignee);
        Assert.True((await host.Runtime.UnclaimAsync(task.Id, WorkflowTestHost.Bob)).IsOk);
        Assert.Null((await host.Runtime.GetTaskAsync(task.Id))!.Assignee);

        var journal = await host.Runtime.GetJournalAsync(id);
        Assert.Contains(journal, j => j.Kind == JournalKind.Claimed && j.UserId == "alice");
        Assert.Contains(journal, j => j.Kind == JournalKind.Reassigned && j.UserId == "sam");
        Assert.Contains(journal, j => j.Kind == JournalKind.Unclaimed && j.UserId == "bob");
    }

    [Fact]
    public async Task TasksForUser_PagesOpenTasksInUsersRoles_OldestFirst()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await host.StartAsync("sequence", businessKey: $"case-{i}"));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        await host.CompleteAsync(ids[0], "Review");   // case-0 moves to Close, created last

        var first = await host.Runtime.GetTasksForUserAsync(WorkflowTestHost.Alice, 1, 2);
        var third = await host.Runtime.GetTasksForUserAsync(WorkflowTestHost.Alice, 3, 2);

        Assert.Equal(["case-1", "case-2"], first.Items.Select(t => t.BusinessKey));
        Assert.True(first.HasMore);
        Assert.Equal(["case-0"], third.Items.Select(t => t.BusinessKey));
        Assert.False(third.HasMore);
        Assert.Empty((await host.Runtime.GetTasksForUserAsync(WorkflowTestHost.Sam)).Items);
    }

    [Fact]
    public async Task Complete_RecordsJournal_WithUserTimeAndChangedVariables()
    {
        var id = await host.StartAsync("sequence");
        await host.CompleteAsync(id, "Review", variables: new { severity = "high" });

        var journal = await host.Runtime.GetJournalAsync(id);
        var completed = Assert.Single(journal, j => j.ElementId == "Review" && j.Kind == JournalKind.Completed);
        Assert.Equal("alice", completed.UserId);
        Assert.Equal("""{"severity":"high"}""", completed.VariablesJson);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, completed.At);
        Assert.Contains(journal, j => j.ElementId == "Close" && j.Kind == JournalKind.Entered);
    }

    [Fact]
    public async Task Cancel_EndsInstance_AndCancelsItsTasks()
    {
        var id = await host.StartAsync("sequence");
        Assert.Equal(WorkflowOutcome.Invalid, (await host.Runtime.CancelAsync(id, " ")).Outcome);
        Assert.True((await host.Runtime.CancelAsync(id, "Customer withdrew", "sam")).IsOk);

        Assert.Equal(InstanceStatus.Cancelled, (await host.Runtime.GetInstanceAsync(id))!.Status);
        Assert.Equal(WorkItemStatus.Cancelled, Assert.Single(await host.Runtime.GetTasksOfInstanceAsync(id)).Status);
        Assert.Equal(WorkflowOutcome.Conflict, (await host.Runtime.CancelAsync(id, "again")).Outcome);
        Assert.Equal(WorkflowOutcome.NotFound, (await host.Runtime.CancelAsync(Guid.NewGuid(), "x")).Outcome);
    }
}
