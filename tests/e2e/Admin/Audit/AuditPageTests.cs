using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Admin.Audit;

/// <summary>/Admin/Audit: case reads and other entries, filtered on the server.</summary>
public sealed class AuditPageTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public Task CaseRead_IsShownToAdmins_FilteredByCaseAndEvent() => WithPageAsync(async page =>
    {
        // all@ holds Handler (opens cases) and Admin (reads the audit log).
        await page.SignInAsync("all@demo.local");
        var reference = await page.ReceivePhoneComplaintAsync();

        foreach (var (culture, width, height) in new[] { ("en", 1280, 900), ("zh-Hans", 1280, 900), ("zh-Hans", 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            if (culture == "zh-Hans" && await page.Locator("html[lang=zh-Hans]").CountAsync() == 0)
                await page.ClickAsync("[data-nav=language] button[value=zh-Hans]");
            // Written by the background writer in batches: reload until it is there.
            var row = page.Locator($"[data-test=audit-row][data-event=CaseViewed][data-case='{reference}'][data-user='all@demo.local']");
            var until = DateTime.UtcNow.AddSeconds(15);
            do
            {
                await page.GotoAsync($"Admin/Audit?f.Case={reference}&f.Event=CaseViewed");
                if (await row.CountAsync() > 0 || DateTime.UtcNow > until) break;
                await Task.Delay(300);
            } while (true);

            await Expect(row.First).ToBeVisibleAsync();
            await Expect(page.Locator("[data-test=audit-row]:not([data-event=CaseViewed])")).ToHaveCountAsync(0);
            await Expect(row.First).ToContainTextAsync(culture == "en" ? "Case viewed" : "查看投诉");
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= width, $"the audit page scrolls sideways at {width}px ({scrollWidth}px)");
            Directory.CreateDirectory(PortalPageTest.ScreenshotFolder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalPageTest.ScreenshotFolder, $"AuditPage.{culture}.{width}.png"), FullPage = true });
        }

        await page.GotoAsync("Admin/Audit?f.Case=C-1999-000001");
        await Expect(page.Locator("[data-test=empty]")).ToBeVisibleAsync();
    });

    [Fact]
    public Task AuditPage_IsForbiddenToHandlers() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");

        var response = await page.GotoAsync("Admin/Audit");

        await Expect(page).ToHaveURLAsync(new Regex("AccessDenied", RegexOptions.IgnoreCase));
        Assert.NotNull(response);
    });
}
