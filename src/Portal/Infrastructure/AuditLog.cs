using Remediation.Portal.Data;

namespace Remediation.Portal.Infrastructure;

/// <summary>Records security events in the AuditEntries table.</summary>
public interface IAuditLog
{
    Task WriteAsync(string auditEvent, string? userName, string? detail, CancellationToken cancellationToken = default);
}

/// <summary>
/// Writes through its own DbContext scope so an audit entry is saved even when the request's
/// own unit of work is rolled back, and never drags the request's pending changes along.
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, IHttpContextAccessor http, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public async Task WriteAsync(string auditEvent, string? userName, string? detail, CancellationToken cancellationToken = default)
    {
        logger.LogWarning("Audit {Event} user={User} {Detail}", auditEvent, userName, detail);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        db.Add(new AuditEntry
        {
            OccurredAtUtc = clock.GetUtcNow().UtcDateTime,
            Event = auditEvent,
            UserName = Truncate(userName, 256),
            Detail = Truncate(detail, 2000),
            RemoteIp = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        });
        // CancellationToken.None: a client that hangs up must not erase the trace of what it tried.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string? Truncate(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
