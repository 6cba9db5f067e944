using Hangfire;
using Hangfire.States;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Hangfire;

/// <summary>The job-scheduler port on Hangfire, through <see cref="IBackgroundJobClient"/> (never the static API).</summary>
internal sealed class HangfireJobScheduler(IBackgroundJobClient client, JobStorage storage, TimeProvider clock) : IWorkflowJobScheduler
{
    private static readonly HashSet<string> PendingStates = [ScheduledState.StateName, EnqueuedState.StateName, ProcessingState.StateName, AwaitingState.StateName];

    public string ScheduleTimer(Guid timerId, DateTime dueAt) =>
        Schedule<TimerWakeUpJob>(j => j.RunAsync(timerId), dueAt);

    public string ScheduleOutbox(Guid entryId, DateTime at) =>
        Schedule<OutboxJob>(j => j.RunAsync(entryId), at);

    public bool IsPending(string jobId)
    {
        using var connection = storage.GetConnection();
        var data = connection.GetJobData(jobId);
        return data is not null && PendingStates.Contains(data.State);
    }

    private string Schedule<T>(System.Linq.Expressions.Expression<Func<T, Task>> call, DateTime at) =>
        at <= clock.GetUtcNow().UtcDateTime
            ? client.Enqueue(call)
            : client.Schedule(call, new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)));
}

/// <summary>Wake-up for a timer row. The engine re-checks due time and state, so any delivery is harmless.</summary>
internal sealed class TimerWakeUpJob(IWorkflowRuntime runtime)
{
    public async Task RunAsync(Guid timerId)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await runtime.FireTimerAsync(timerId);
            if (result.Outcome != WorkflowOutcome.Conflict) return;
            // Another command touched the instance at the same moment; after a few tries let Hangfire retry the job.
            if (attempt == 3) throw new InvalidOperationException($"Timer {timerId} kept conflicting with other commands.");
        }
    }
}

/// <summary>Runs an outbox entry's handler.</summary>
internal sealed class OutboxJob(OutboxProcessor processor)
{
    public Task RunAsync(Guid entryId) => processor.ProcessAsync(entryId);
}

/// <summary>The recurring sweep that re-arms lost timers.</summary>
internal sealed class TimerSweepJob(TimerSweeper sweeper)
{
    public const string RecurringJobId = "workflow-timer-sweep";

    public Task RunAsync() => sweeper.SweepAsync();
}
