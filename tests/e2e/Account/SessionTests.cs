using System.Net;
using Remediation.E2ETests.Infrastructure;
using Xunit;

namespace Remediation.E2ETests.Account;

/// <summary>Sessions end on the server: on sign-out and at the absolute lifetime.</summary>
[Collection(PortalCollection.Name)]
public sealed class SessionTests(PortalFixture portal, SecurityApp securityApp) : IClassFixture<SecurityApp>
{
    [Fact]
    public async Task Logout_RevokesCopiedCookie()
    {
        using var owner = new PortalHttp(portal.BaseUrl);
        using var thief = new PortalHttp(portal.BaseUrl);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.LoginAsync("handler@demo.local", PageExtensions.DemoPassword)).StatusCode);
        var cookie = owner.Cookies.GetCookies(portal.BaseUrl)["Remediation.Auth"]!;
        thief.Cookies.Add(portal.BaseUrl, new Cookie(cookie.Name, cookie.Value));
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("Queue")).StatusCode);

        await owner.LogoutAsync();

        var afterLogout = await thief.GetAsync("Queue");
        Assert.Equal(HttpStatusCode.Redirect, afterLogout.StatusCode);
        Assert.Contains("/Account/Login", afterLogout.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Session_EndsAtTheAbsoluteLifetime_EvenWhileInUse()
    {
        using var client = new PortalHttp(securityApp.BaseUrl);
        var signedIn = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword)).StatusCode);

        // A request every half second keeps the 4 s sliding expiry renewed: still signed in past it.
        while (DateTime.UtcNow - signedIn < SecurityApp.AbsoluteLifetime - TimeSpan.FromSeconds(2))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Queue")).StatusCode);
            await Task.Delay(500);
        }
        Assert.True(DateTime.UtcNow - signedIn > SecurityApp.IdleTimeout);

        await Task.Delay(SecurityApp.AbsoluteLifetime - (DateTime.UtcNow - signedIn) + TimeSpan.FromSeconds(1));
        var expired = await client.GetAsync("Queue");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Contains("/Account/Login", expired.Headers.Location!.ToString());
    }
}
