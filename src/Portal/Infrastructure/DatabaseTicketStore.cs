using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Infrastructure;

/// <summary>Configuration section <c>Sessions</c>: how long a sign-in lasts.</summary>
public sealed class SessionLifetimeOptions
{
    public const string Section = "Sessions";

    /// <summary>A session ends after this long without a request (sliding: each request past half-way renews it).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in however busy it is.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    public IReadOnlyList<string> Validate() =>
        [
            .. IdleTimeout <= TimeSpan.Zero ? ["Sessions:IdleTimeout must be positive."] : Array.Empty<string>(),
            .. AbsoluteLifetime <= TimeSpan.Zero ? ["Sessions:AbsoluteLifetime must be positive."] : Array.Empty<string>(),
        ];
}

/// <summary>
/// Server-side sessions for the sign-in cookie (<see cref="CookieAuthenticationOptions.SessionStore"/>): the cookie holds
/// a random key, the ticket is an <see cref="AuthSession"/> row. Signing out deletes the row, so a copied cookie is refused
/// at once, by every portal process sharing the database; a row older than <see cref="SessionLifetimeOptions.AbsoluteLifetime"/>
/// is refused however often it was renewed. Runs on the request's own context (and its lent SQLite connection) with
/// untracked reads and set-based writes, so nothing it does is saved by a page's SaveChanges.
/// </summary>
public sealed class DatabaseTicketStore(IServiceScopeFactory scopes, TimeProvider clock, SessionLifetimeOptions options, IWriteGate writer) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var db = Db(httpContext);
        var now = clock.GetUtcNow().UtcDateTime;
        // Sign-ins are rare next to requests: the natural moment to drop sessions that can no longer be used.
        var oldestUsable = now - options.AbsoluteLifetime;
        await writer.RunAsync(() => db.Set<AuthSession>().Where(s => s.ExpiresAtUtc < now || s.CreatedAtUtc < oldestUsable).ExecuteDeleteAsync(cancellationToken), cancellationToken);

        var session = new AuthSession
        {
            Id = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            UserId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier),
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAtUtc = now,
            ExpiresAtUtc = ExpiresAt(ticket, now),
        };
        db.Add(session);
        try { await db.SaveChangesAsync(cancellationToken); }
        finally { db.Entry(session).State = EntityState.Detached; }
        return session.Id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var expires = ExpiresAt(ticket, clock.GetUtcNow().UtcDateTime);
        return writer.RunAsync(() => Db(httpContext).Set<AuthSession>().Where(s => s.Id == key)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresAtUtc, expires), cancellationToken), cancellationToken);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var row = await Db(httpContext).Set<AuthSession>().AsNoTracking().Where(s => s.Id == key)
            .Select(s => new { s.Ticket, s.CreatedAtUtc }).FirstOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        if (clock.GetUtcNow().UtcDateTime >= row.CreatedAtUtc + options.AbsoluteLifetime)
        {
            await RemoveAsync(key, httpContext, cancellationToken);
            return null;
        }
        return TicketSerializer.Default.Deserialize(row.Ticket);
    }

    // Set-based writes take their turn at the write gate like every SaveChanges does (SerializedSaves).
    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) =>
        writer.RunAsync(() => Db(httpContext).Set<AuthSession>().Where(s => s.Id == key).ExecuteDeleteAsync(cancellationToken), cancellationToken);

    // The cookie handler always passes the request; these overloads serve any other caller with a scope of its own.
    public Task<string> StoreAsync(AuthenticationTicket ticket) => InScopeAsync(http => StoreAsync(ticket, http, default));

    public Task RenewAsync(string key, AuthenticationTicket ticket) => InScopeAsync(http => RenewAsync(key, ticket, http, default));

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => InScopeAsync(http => RetrieveAsync(key, http, default));

    public Task RemoveAsync(string key) => InScopeAsync(http => RemoveAsync(key, http, default));

    private static RemediationDbContext Db(HttpContext httpContext) => httpContext.RequestServices.GetRequiredService<RemediationDbContext>();

    private DateTime ExpiresAt(AuthenticationTicket ticket, DateTime now) =>
        ticket.Properties.ExpiresUtc?.UtcDateTime ?? now + options.AbsoluteLifetime;

    private async Task<T> InScopeAsync<T>(Func<HttpContext, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(new DefaultHttpContext { RequestServices = scope.ServiceProvider });
    }

    private Task InScopeAsync(Func<HttpContext, Task> action) => InScopeAsync(async http => { await action(http); return 0; });
}
