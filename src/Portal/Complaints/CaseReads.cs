using System.Threading.Channels;
using Remediation.Portal.Data;

namespace Remediation.Portal.Complaints;

/// <summary>Someone was shown a case (its complaint and customer).</summary>
public sealed record CaseRead(DateTime AtUtc, string? UserName, string Reference, Guid CustomerId, string? RemoteIp);

/// <summary>
/// Records case reads for privacy audits (PIPL art. 54, GDPR art. 30/32: who saw which customer's data) without a
/// database write on the case page's request: reads go into a bounded in-process queue that
/// <see cref="CaseReadWriter"/> saves in batches as <see cref="AuditEvents.CaseViewed"/> entries. When the queue is full
/// the request waits for room (it is never dropped); a process killed outright loses the reads still queued
/// (docs/decisions.md).
/// </summary>
public sealed class CaseReadLog(ILogger<CaseReadLog> logger)
{
    public const int Capacity = 10_000;

    private readonly Channel<CaseRead> queue = Channel.CreateBounded<CaseRead>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public async ValueTask RecordAsync(CaseRead read, CancellationToken ct)
    {
        if (queue.Writer.TryWrite(read)) return;
        try
        {
            await queue.Writer.WriteAsync(read, ct);
        }
        catch (ChannelClosedException)
        {
            // Only while the process stops, after the final flush.
            logger.LogWarning("Case read of {Reference} by {User} at shutdown was not recorded.", read.Reference, read.UserName);
        }
    }

    internal ChannelReader<CaseRead> Reader => queue.Reader;

    /// <summary>No more reads are accepted; the writer saves what is queued and stops.</summary>
    internal void Complete() => queue.Writer.TryComplete();
}

/// <summary>Saves queued case reads in batches (one transaction each), and everything still queued when the host stops.</summary>
public sealed class CaseReadWriter(CaseReadLog log, IServiceScopeFactory scopes, ILogger<CaseReadWriter> logger) : BackgroundService
{
    public const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = log.Reader;
        var batch = new List<CaseRead>(BatchSize);
        // Not stoppingToken: the loop ends when StopAsync completes the queue, after it has been drained.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < BatchSize && reader.TryRead(out var read)) batch.Add(read);
            await SaveAsync(batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        log.Complete();
        await base.StopAsync(cancellationToken);
    }

    private async Task SaveAsync(List<CaseRead> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
                db.AddRange(batch.Select(r => new AuditEntry
                {
                    OccurredAtUtc = r.AtUtc, Event = AuditEvents.CaseViewed, UserName = AuditEntry.Truncate(r.UserName, AuditEntry.UserNameLength),
                    CaseReference = r.Reference, CustomerId = r.CustomerId, RemoteIp = r.RemoteIp,
                }));
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                logger.LogWarning(e, "Saving {Count} case reads failed (attempt {Attempt}); retrying.", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Count} case reads could not be saved and are lost: {Reads}", batch.Count,
                    string.Join("; ", batch.Select(r => $"{r.AtUtc:O} {r.UserName} {r.Reference}")));
                return;
            }
        }
    }
}
