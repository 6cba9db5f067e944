using System.Net;
using Remediation.E2ETests.Infrastructure;
using Xunit;

namespace Remediation.E2ETests.Shell;

/// <summary>Behind the TLS proxy the app sees https; forwarded headers from anyone else change nothing.</summary>
[Collection(PortalCollection.Name)]
public sealed class ForwardedHeadersTests(PortalFixture portal, SecurityApp behindProxy) : IClassFixture<SecurityApp>
{
    private static Dictionary<string, string> FromTlsProxy() => new()
    {
        ["X-Forwarded-Proto"] = "https",
        ["X-Forwarded-For"] = SecurityApp.NextClientAddress(),
        ["Host"] = "portal.example",
    };

    [Fact]
    public async Task ForwardedHttps_FromAKnownProxy_GivesSecureCookie_Hsts_AndHttpsRedirects()
    {
        using var client = new PortalHttp(behindProxy.BaseUrl);

        var login = await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword, headers: FromTlsProxy());
        using var anonymous = new PortalHttp(behindProxy.BaseUrl);
        var challenge = await anonymous.GetAsync("Queue", FromTlsProxy());

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains(AuthCookie(login), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.True(login.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("https://portal.example/Account/Login", challenge.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ForwardedHttps_WithoutAConfiguredProxy_IsIgnored()
    {
        using var client = new PortalHttp(portal.BaseUrl);

        var login = await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword, headers: FromTlsProxy());
        using var anonymous = new PortalHttp(portal.BaseUrl);
        var challenge = await anonymous.GetAsync("Queue", FromTlsProxy());

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.DoesNotContain(AuthCookie(login), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.False(login.Headers.Contains("Strict-Transport-Security"));
        Assert.StartsWith("http://portal.example/Account/Login", challenge.Headers.Location!.ToString());
    }

    private static List<string> AuthCookie(HttpResponseMessage response)
    {
        var cookies = response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("Remediation.Auth=")).ToList();
        Assert.NotEmpty(cookies);
        return cookies;
    }
}
