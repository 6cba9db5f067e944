using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Portal.Data;

namespace Remediation.E2ETests.Infrastructure;

/// <summary>
/// A second portal for the sign-in and proxy tests: low login limits, short sessions (4 s idle, 8 s absolute), the
/// loopback address configured as the TLS proxy (so tests can set X-Forwarded-For/-Proto), a password hasher that
/// counts its verifications, and <see cref="FailingApiPath"/>, an API path that throws. Used as a class fixture inside
/// the Portal collection, so it never starts concurrently with the shared app (Hangfire's configuration is process-global).
/// </summary>
public sealed class SecurityApp : PortalFixture
{
    public const string FailingApiPath = "/api/test/failure";

    public const int FailuresPerIp = 5;
    public const int FailuresPerAccount = 3;

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromSeconds(8);

    private static int _clientCounter;

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["LoginThrottle:FailuresPerIp"] = FailuresPerIp.ToString(),
        ["LoginThrottle:FailuresPerAccount"] = FailuresPerAccount.ToString(),
        ["LoginThrottle:Window"] = "00:10:00",
        ["Sessions:IdleTimeout"] = IdleTimeout.ToString(),
        ["Sessions:AbsoluteLifetime"] = AbsoluteLifetime.ToString(),
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    };

    public CountingPasswordHasher Hasher { get; } = new();

    /// <summary>A client address of its own (sent as X-Forwarded-For through the trusted proxy), so limits per address do not mix between tests.</summary>
    public static string NextClientAddress() => $"203.0.113.{Interlocked.Increment(ref _clientCounter)}";

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<ApplicationUser>>(Hasher);
        services.AddSingleton<IStartupFilter, FailingApiEndpoint>();
    }

    public sealed class CountingPasswordHasher : PasswordHasher<ApplicationUser>
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public override PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    /// <summary>Appended after the app's own pipeline: a request to <see cref="FailingApiPath"/> matches no endpoint, reaches this and throws.</summary>
    private sealed class FailingApiEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, inner) => context.Request.Path == FailingApiPath
                ? throw new InvalidOperationException("A deliberate failure for the API error test.")
                : inner(context));
        };
    }
}
