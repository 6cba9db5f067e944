using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// Runs one outbox entry's handler outside any engine transaction, then records the outcome in a command:
/// success resumes the service task; failure schedules a retry with exponential backoff, and the last
/// failure raises an incident.
/// </summary>
internal sealed class OutboxProcessor(EngineServices services, WorkflowRegistry registry, IServiceScopeFactory scopes)
{
    private const int ConflictRetries = 5;

    public async Task ProcessAsync(Guid entryId, CancellationToken ct = default)
    {
        OutboxEntry? entry;
        string? businessKey;
        await using (var db = services.DbFactory.Create())
        {
            entry = await db.Set<OutboxEntry>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == entryId, ct);
            if (entry is null || entry.Status != OutboxStatus.Pending) return;
            businessKey = await db.Set<WorkflowInstance>().Where(i => i.Id == entry.InstanceId).Select(i => i.BusinessKey).FirstOrDefaultAsync(ct);
        }
        var now = services.Clock.GetUtcNow().UtcDateTime;
        if (entry.NextAttemptAt > now.AddSeconds(1))
        {
            // Not due yet, or claimed by a handler running now: come back then (if that handler died, the entry is due again).
            services.Scheduler.ScheduleOutbox(entry.Id, entry.NextAttemptAt);
            return;
        }
        if (!await ClaimAsync(entry, now + services.Options.OutboxLease, ct)) return;

        IReadOnlyDictionary<string, object?>? output;
        try
        {
            var handlerType = registry.HandlerType(entry.Topic) ?? throw new InvalidOperationException($"No handler is registered for topic '{entry.Topic}'.");
            await using var scope = scopes.CreateAsyncScope();
            var handler = (IWorkflowTopicHandler)scope.ServiceProvider.GetRequiredService(handlerType);
            var variables = JsonNode.Parse(entry.PayloadJson)?.AsObject() ?? [];
            output = await handler.HandleAsync(new TopicContext(entry.InstanceId, entry.ElementId, entry.Topic, entry.IdempotencyKey, businessKey, variables, entry.Attempts + 1), ct);
        }
        catch (BpmnErrorException e)
        {
            // A business outcome the model handles: no retries.
            await WithConflictRetryAsync(session => RecordBusinessErrorAsync(session, entryId, e, ct));
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogWarning(e, "Handler for topic {Topic} failed on outbox entry {EntryId}", entry.Topic, entry.Id);
            await WithConflictRetryAsync(session => RecordFailureAsync(session, entryId, e.Message, ct));
            return;
        }
        await WithConflictRetryAsync(session => RecordSuccessAsync(session, entryId, Variables.ToJson(output), ct));
    }

    /// <summary>
    /// Moves the entry's attempt time to the end of the lease if nobody else did since it was read, so a second delivery of
    /// the same entry (a duplicate job, the watchdog, another process) does not run the handler at the same time.
    /// </summary>
    private async Task<bool> ClaimAsync(OutboxEntry entry, DateTime leaseEnd, CancellationToken ct)
    {
        var claimed = 0;
        await using var db = services.DbFactory.Create();
        await services.Gate.RunAsync(async () => claimed = await db.Set<OutboxEntry>()
            .Where(o => o.Id == entry.Id && o.Status == OutboxStatus.Pending && o.NextAttemptAt == entry.NextAttemptAt)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, leaseEnd), ct), ct);
        return claimed == 1;
    }

    private async Task<bool> RecordSuccessAsync(CommandSession session, Guid entryId, JsonObject output, CancellationToken ct)
    {
        var entry = await session.Db.Set<OutboxEntry>().FirstOrDefaultAsync(o => o.Id == entryId, ct);
        if (entry is null || entry.Status != OutboxStatus.Pending) return false;
        entry.Status = OutboxStatus.Done;
        entry.Attempts++;
        entry.CompletedAt = session.Now;
        var run = await session.LoadAsync(entry.InstanceId, ct);
        var token = run?.State.Tokens.FirstOrDefault(t => t.Id == entry.TokenId && t.ElementId == entry.ElementId && t.Status == TokenStatus.Waiting);
        if (run is not null && token is not null)
        {
            await session.ResumeAsync(run, token, output, ct);
            await session.DrainAsync(ct);
        }
        return true;
    }

    private async Task<bool> RecordBusinessErrorAsync(CommandSession session, Guid entryId, BpmnErrorException error, CancellationToken ct)
    {
        var entry = await session.Db.Set<OutboxEntry>().FirstOrDefaultAsync(o => o.Id == entryId, ct);
        if (entry is null || entry.Status != OutboxStatus.Pending) return false;
        entry.Status = OutboxStatus.Done;
        entry.Attempts++;
        entry.CompletedAt = session.Now;
        var described = error.Message == error.ErrorCode ? $"'{error.ErrorCode}'" : $"'{error.ErrorCode}' ({error.Message})";
        entry.LastError = $"Business error {described}";
        var run = await session.LoadAsync(entry.InstanceId, ct);
        var token = run?.State.Tokens.FirstOrDefault(t => t.Id == entry.TokenId && t.ElementId == entry.ElementId && t.Status == TokenStatus.Waiting);
        if (run is null || token is null) return true;
        if (await session.ThrowErrorAsync(run, token, error.ErrorCode, error.Message, ct)) await session.DrainAsync(ct);
        else
            session.RaiseIncident(run, token, entry.ElementId, $"Handler '{entry.Topic}' raised business error {described}, and no error boundary event on "
                + "the service task or around it catches it; attach one (with that error code, or none to catch every error).");
        return true;
    }

    private async Task<bool> RecordFailureAsync(CommandSession session, Guid entryId, string error, CancellationToken ct)
    {
        var entry = await session.Db.Set<OutboxEntry>().FirstOrDefaultAsync(o => o.Id == entryId, ct);
        if (entry is null || entry.Status != OutboxStatus.Pending) return false;
        entry.Attempts++;
        entry.LastError = error.Length > 2000 ? error[..2000] : error;
        if (entry.Attempts >= services.Options.OutboxMaxAttempts)
        {
            entry.Status = OutboxStatus.Failed;
            var run = await session.LoadAsync(entry.InstanceId, ct);
            if (run is not null)
                // The token keeps waiting at the service task; retrying the incident re-queues this entry.
                session.RaiseIncident(run, null, entry.ElementId,
                    $"Handler '{entry.Topic}' failed {entry.Attempts} times: {error}", IncidentKind.HandlerFailed, entry.Id);
        }
        else
        {
            entry.NextAttemptAt = session.Now + services.Options.OutboxBackoff * Math.Pow(2, entry.Attempts - 1);
            session.ScheduleOutbox(entry);
        }
        return true;
    }

    // The handler already ran; a conflict with another command on the instance must not run it again, only re-record.
    private async Task WithConflictRetryAsync(Func<CommandSession, Task<bool>> record)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = await CommandSession.OpenAsync(services, null);
            if (!await record(session)) return;
            var failed = await session.CommitAsync(null, null, () => Task.FromResult<ConflictInfo?>(null), default);
            if (failed is null || attempt >= ConflictRetries) return;
        }
    }
}
