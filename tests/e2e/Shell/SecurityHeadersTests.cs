using System.Net;
using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.E2ETests.Shell;

/// <summary>Every response carries the content-security and framing headers; the pages work under the policy.</summary>
public sealed class SecurityHeadersTests(PortalFixture portal, BrowserFixture browser, ITestOutputHelper output)
    : PortalPageTest(portal, browser, output)
{
    [Theory]
    [InlineData("Account/Login", HttpStatusCode.OK)]          // a page
    [InlineData("dist/app.css", HttpStatusCode.OK)]           // a static file
    [InlineData("no-such-page", HttpStatusCode.NotFound)]     // the error page
    [InlineData("api/no-such-thing", HttpStatusCode.NotFound)] // the API
    [InlineData("healthz", HttpStatusCode.OK)]
    public async Task Response_CarriesTheSecurityHeaders(string path, HttpStatusCode status)
    {
        using var client = new PortalHttp(Portal.BaseUrl);
        await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword); // else the 404s would be sign-in redirects

        var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public Task PortalPages_RunUnderThePolicy_WithoutViolations() => WithPageAsync(async page =>
    {
        var violations = CollectViolations(page);
        await page.LoginAsAsync("all@demo.local");

        await page.ReceivePhoneComplaintAsync(); // the new-complaint form, then the case page with its diagram and script checks
        await page.Locator("[data-test=diagram] svg").First.WaitForAsync();
        await page.GotoAsync("Queue");
        await page.GotoAsync("hangfire");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await page.WaitForTimeoutAsync(1500); // the dashboard's scripts poll and draw its graphs

        Assert.Empty(violations);
    });

    private static List<string> CollectViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add($"{page.Url}: {message.Text}");
        };
        return violations;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : "";
}
