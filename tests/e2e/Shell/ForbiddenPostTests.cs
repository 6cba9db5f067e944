using System.Text.Json;
using System.Text.RegularExpressions;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Shell;

/// <summary>A signed-in user POSTing to a page of another role sees the access-denied page with 403, never a 400 or the error page.</summary>
public sealed class ForbiddenPostTests(PortalFixture portal, BrowserFixture browser, ITestOutputHelper output)
    : PortalPageTest(portal, browser, output)
{
    [Fact]
    public Task ForgedFormPost_ToAPageOfAnotherRole_ShowsAccessDenied() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");

        // A form without an antiforgery token, submitted from a portal page (same origin, so the cookie goes along).
        var response = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync(
            "() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/Admin/Users/Create'; document.body.append(f); f.submit(); }"),
            r => r.Url.Contains("/Account/AccessDenied", StringComparison.Ordinal));

        Assert.Equal(403, response.Status);
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Access denied");
    });

    [Fact]
    public Task ScriptPost_ToAPageOfAnotherRole_Gets403WithTheAccessDeniedPage() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");

        // The cookie handler answers an AJAX request with a bare 403 (no redirect); the status-code page must not re-run it as a POST.
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => { const r = await fetch('/Approvals', { method: 'POST', headers: { 'X-Requested-With': 'XMLHttpRequest' } }); return { status: r.status, body: await r.text() }; }");

        Assert.Equal(403, result.GetProperty("status").GetInt32());
        var body = result.GetProperty("body").GetString()!;
        Assert.Contains("Access denied", body);
        Assert.DoesNotContain("Something went wrong", body);
    });

    [Fact]
    public Task ScriptPost_WithoutAntiforgeryToken_ToAnAllowedPage_Gets400ErrorPage() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");

        var result = await page.EvaluateAsync<JsonElement>(
            "async () => { const r = await fetch('/Complaints/New', { method: 'POST', body: new URLSearchParams({ x: '1' }) }); return { status: r.status, body: await r.text() }; }");

        Assert.Equal(400, result.GetProperty("status").GetInt32());
        Assert.Matches(new Regex("Something went wrong"), result.GetProperty("body").GetString()!);
    });
}
