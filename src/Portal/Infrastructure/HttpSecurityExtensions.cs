using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Remediation.Portal.Infrastructure;

/// <summary>Configuration section <c>ForwardedHeaders</c>: the TLS proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed.</summary>
public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the reverse proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the reverse proxies live in (CIDR), e.g. <c>172.18.0.0/16</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row may append to the headers.</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Any => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

public static class HttpSecurityExtensions
{
    /// <summary>
    /// The policy of every response: scripts only from the portal's own files (the esbuild bundles), no plugins, no
    /// framing. Inline <c>style</c> attributes stay allowed: a few pages and the Hangfire dashboard set sizes inline,
    /// and a style cannot run code. <c>data:</c> images are Bootstrap's inline SVG icons.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Forwarded headers from the proxies in <c>ForwardedHeaders:*</c> only (none configured: none believed, not even from
    /// loopback), and HSTS (sent on HTTPS requests only, i.e. behind the TLS proxy).
    /// </summary>
    public static WebApplicationBuilder AddRemediationHttpSecurity(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        var addresses = proxies.KnownProxies.Select(p => IPAddress.TryParse(p, out var a) ? a
            : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{p}' is not an IP address (docs/configuration.md)")).ToList();
        var networks = proxies.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var net) ? net
            : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{n}' is not a network such as 10.0.0.0/8 (docs/configuration.md)")).ToList();
        builder.Services.AddSingleton(proxies);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = proxies.ForwardLimit;
            // The framework trusts loopback by default; only what is configured counts here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in addresses) o.KnownProxies.Add(address);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
        });
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    /// <summary>
    /// First in the pipeline: the client's scheme and address from a known proxy (so cookies are <c>Secure</c> and
    /// redirects absolute <c>https</c> URLs), then the security headers on every response — pages, static files, error
    /// pages, the API, Hangfire — set when the response starts, so an error handler that clears the response keeps them.
    /// </summary>
    public static WebApplication UseRemediationHttpSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ProxyOptions>().Any) app.UseForwardedHeaders();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        app.UseHsts();
        return app;
    }
}
