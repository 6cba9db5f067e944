namespace Remediation.Workflows;

/// <summary>Engine limits and timings (configuration section <c>Workflows</c>).</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflows";

    /// <summary>Largest BPMN document accepted, in characters (default 5 MB).</summary>
    public int MaxDefinitionBytes { get; set; } = 5 * 1024 * 1024;
    /// <summary>Elements one command may enter before it gives up with an incident instead of spinning.</summary>
    public int MaxStepsPerCommand { get; set; } = 1000;
    public TimeSpan ScriptTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
    public int ScriptMaxStatements { get; set; } = 10_000;
    public int ScriptMaxRecursion { get; set; } = 64;
    public long ScriptMaxMemoryBytes { get; set; } = 4 * 1024 * 1024;
    /// <summary>Handler attempts before an incident is raised.</summary>
    public int OutboxMaxAttempts { get; set; } = 5;
    /// <summary>Delay before the second attempt; each later attempt waits twice as long.</summary>
    public TimeSpan OutboxBackoff { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// The timer sweep (at start-up and every minute) re-arms timers whose wake-up job is missing once they are due
    /// within this window. Later ones keep until they come into it, so a start after Hangfire's storage was lost
    /// schedules only the next few minutes' jobs instead of every future one (docs/engine.md). Values under two
    /// minutes count as two, so a minutely sweep always sees a timer before it is due.
    /// </summary>
    public TimeSpan TimerSweepHorizon { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>
    /// How often the overdue watchdog looks for work its Hangfire job did not do: a timer still scheduled, or an outbox
    /// entry still pending, <see cref="OverdueGrace"/> after its time. It fires or runs them itself, whatever state the job
    /// is in (lost with the process, invisible after a crash). Zero switches it off (pages-only processes).
    /// </summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How late a wake-up may be before the watchdog takes over (Hangfire normally fires within about 2 s).</summary>
    public TimeSpan OverdueGrace { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>
    /// How long an outbox entry is claimed while its handler runs. A second delivery within it leaves the entry alone;
    /// after it (the process died mid-handler) the entry is due again. A handler slower than this may run twice, which
    /// its idempotency key makes harmless.
    /// </summary>
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Serialise commits inside this process. On SQLite (one writer at a time) this avoids lock
    /// upgrade failures and busy waits; correctness across processes still rests on the row version.
    /// </summary>
    public bool SerializeCommits { get; set; } = true;
    /// <summary>Roles allowed to reassign any task (besides its current assignee).</summary>
    public IReadOnlyList<string> ManagerRoles { get; set; } = ["Supervisor", "Admin"];
}
