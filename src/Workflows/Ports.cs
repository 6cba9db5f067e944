using Microsoft.EntityFrameworkCore;

namespace Remediation.Workflows;

/// <summary>
/// Creates the DbContext that holds the engine's tables (the host's context, which applies the engine's
/// <c>IEntityTypeConfiguration</c> classes). The engine owns and disposes each context it creates.
/// </summary>
public interface IWorkflowDbContextFactory
{
    DbContext Create();

    /// <summary>
    /// Gives <paramref name="db"/> (just created here) an open connection for one command's or query's reads — on SQLite
    /// one that keeps its prepared statements — and takes it back when the result is disposed. Null (the default): the
    /// engine opens the context's own connection instead.
    /// </summary>
    IDisposable? LendConnection(DbContext db) => null;
}

/// <summary>The alarm clock: schedules wake-ups. It is never the source of truth; timer and outbox rows are.</summary>
public interface IWorkflowJobScheduler
{
    /// <summary>Schedules a call to fire timer <paramref name="timerId"/> at <paramref name="dueAt"/>; returns the job id.</summary>
    string ScheduleTimer(Guid timerId, DateTime dueAt);

    /// <summary>Schedules processing of outbox entry <paramref name="entryId"/> at <paramref name="at"/> (now when in the past); returns the job id.</summary>
    string ScheduleOutbox(Guid entryId, DateTime at);

    /// <summary>Whether the job still exists and has yet to run.</summary>
    bool IsPending(string jobId);
}
