using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;

namespace Remediation.Portal.Infrastructure;

/// <summary>Records security events in the AuditEntries table.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Saves an entry on its own, for an event that has no unit of work of its own to join: a denial (after the check
    /// really failed), a failed sign-in. An entry about an action that changes data is <see cref="Add"/>ed to that action.
    /// </summary>
    Task WriteAsync(string auditEvent, string? userName, string? detail, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an entry to <paramref name="db"/>, the unit of work of the action it records (e.g. the engine's context inside
    /// its commit): the entry is saved with the action or not at all, so a refused or lost action leaves no entry.
    /// </summary>
    void Add(DbContext db, string auditEvent, string? userName, string? detail, string? caseReference = null);
}

/// <summary>
/// <see cref="WriteAsync"/> uses its own DbContext scope so a denial is saved even when the request's own unit of work
/// is rolled back, and never drags the request's pending changes along.
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, IHttpContextAccessor http, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public async Task WriteAsync(string auditEvent, string? userName, string? detail, CancellationToken cancellationToken = default)
    {
        logger.LogWarning("Audit {Event} user={User} {Detail}", auditEvent, userName, detail);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        db.Add(Entry(auditEvent, userName, detail, null));
        // CancellationToken.None: a client that hangs up must not erase the trace of what it tried.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    public void Add(DbContext db, string auditEvent, string? userName, string? detail, string? caseReference = null)
    {
        logger.LogInformation("Audit {Event} user={User} case={Case} {Detail}", auditEvent, userName, caseReference, detail);
        db.Add(Entry(auditEvent, userName, detail, caseReference));
    }

    private AuditEntry Entry(string auditEvent, string? userName, string? detail, string? caseReference) => new()
    {
        OccurredAtUtc = clock.GetUtcNow().UtcDateTime,
        Event = auditEvent,
        UserName = AuditEntry.Truncate(userName, AuditEntry.UserNameLength),
        Detail = AuditEntry.Truncate(detail, AuditEntry.DetailLength),
        CaseReference = caseReference,
        RemoteIp = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
    };
}
