using System.Net;
using System.Threading.RateLimiting;

namespace Remediation.Portal.Pages.Account;

/// <summary>Configuration section <c>LoginThrottle</c>: failed sign-ins allowed per window before the login page answers 429.</summary>
public sealed class LoginThrottleOptions
{
    public const string Section = "LoginThrottle";

    /// <summary>Failed sign-ins from one client address (behind a proxy: the forwarded address, see ForwardedHeaders).</summary>
    public int FailuresPerIp { get; set; } = 30;

    /// <summary>Failed sign-ins for one e-mail address, known or not.</summary>
    public int FailuresPerAccount { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public IReadOnlyList<string> Validate() =>
        [
            .. FailuresPerIp < 1 ? ["LoginThrottle:FailuresPerIp must be at least 1."] : Array.Empty<string>(),
            .. FailuresPerAccount < 1 ? ["LoginThrottle:FailuresPerAccount must be at least 1."] : Array.Empty<string>(),
            .. Window <= TimeSpan.Zero ? ["LoginThrottle:Window must be positive."] : Array.Empty<string>(),
        ];
}

/// <summary>
/// Per-address and per-account limits on failed sign-ins, on the framework's rate limiters (System.Threading.RateLimiting,
/// fixed windows). Only failures use up permits, so an office behind one address is not stopped by its own successful
/// sign-ins; once a limit is used up every attempt is refused (the right password too) until the window ends.
/// In memory, per process: behind several processes each counts its own share.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perIp;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public LoginThrottle(LoginThrottleOptions options)
    {
        _perIp = Create(options.FailuresPerIp, options.Window);
        _perAccount = Create(options.FailuresPerAccount, options.Window);
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long the caller should wait.</summary>
    public TimeSpan? RetryAfter(IPAddress? client, string email)
    {
        // Asking for zero permits tests the window without using it up.
        using var ip = _perIp.AttemptAcquire(IpKey(client), 0);
        using var account = _perAccount.AttemptAcquire(AccountKey(email), 0);
        if (ip.IsAcquired && account.IsAcquired) return null;
        return new[] { ip, account }
            .Select(l => l.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1))
            .Max();
    }

    public void RecordFailure(IPAddress? client, string email)
    {
        _perIp.AttemptAcquire(IpKey(client)).Dispose();
        _perAccount.AttemptAcquire(AccountKey(email)).Dispose();
    }

    public void Dispose()
    {
        _perIp.Dispose();
        _perAccount.Dispose();
    }

    private static string IpKey(IPAddress? client) => client?.ToString() ?? "";

    private static string AccountKey(string email) => email.Trim().ToUpperInvariant();

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
