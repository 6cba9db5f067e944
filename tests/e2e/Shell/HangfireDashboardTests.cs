using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Shell;

public sealed class HangfireDashboardTests(PortalFixture portal, BrowserFixture browser, ITestOutputHelper output)
    : PortalPageTest(portal, browser, output)
{
    [Fact]
    public Task Handler_GetsForbidden_AndTheDenialIsAudited() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");

        var response = await page.GotoAsync("hangfire");

        Assert.Equal(403, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Access denied");
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(e =>
            e.Event == AuditEvents.AccessDenied && e.UserName == "handler@demo.local" && e.Detail!.Contains("/hangfire")));
    });

    [Fact]
    public Task Admin_SeesTheDashboard() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("admin@demo.local");

        var response = await page.GotoAsync("hangfire");

        Assert.Equal(200, response!.Status);
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Hangfire"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Expect(page.Locator("a:has-text('Servers')")).ToContainTextAsync("1"); // the in-process server is running
    });

    [Fact]
    public Task Anonymous_IsSentToTheLoginPage() => WithPageAsync(async page =>
    {
        await page.GotoAsync("hangfire");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login\\?ReturnUrl=%2Fhangfire"));
    });
}
