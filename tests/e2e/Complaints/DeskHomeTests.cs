using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

/// <summary>The home page is a desk for the user's roles: their steps, the pool, approvals, the team's SLA, incidents.</summary>
public sealed class DeskHomeTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public Task Home_ListsTheStepsITook_WithTheirCase_AndShowsEachRolesPanel() => WithPageAsync(async page =>
    {
        await page.SignInAsync("all@demo.local");
        var reference = await page.ReceivePhoneComplaintAsync(order: "DESK-1");
        var row = page.Locator($"[data-test=queue-row][data-reference='{reference}']");
        await page.ReloadUntilVisibleAsync($"Queue?q={reference}", row);
        await row.Locator("[data-test=claim]").ClickAsync();
        await Expect(row.Locator("[data-test=unclaim]")).ToBeVisibleAsync();

        await page.GotoAsync("");
        var mine = page.Locator("[data-test=my-step]").Filter(new() { HasText = reference });
        await Expect(mine).ToContainTextAsync("Vent");
        await Expect(page.Locator("[data-test=my-due-today]")).ToContainTextAsync("due today");
        await Expect(page.Locator("[data-test=approvals-waiting]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=team-sla]")).ToContainTextAsync("Open steps:");
        await Expect(page.Locator("[data-test=operations]")).ToContainTextAsync("Open incidents:");
        await PortalPageTest.SaveScreenshotAsync(page, "Home.desk.en");
        await mine.Locator("a").ClickAsync();
        await Expect(page.Locator("[data-test=reference]")).ToHaveTextAsync(reference);

        await page.SwitchLanguageAsync("zh-Hans");
        await page.GotoAsync("");
        await Expect(page.Locator("[data-test=my-step]").Filter(new() { HasText = reference })).ToContainTextAsync("鼓励发泄");
        await PortalPageTest.SaveScreenshotAsync(page, "Home.desk.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the desk scrolls sideways at 390 px");
        await PortalPageTest.SaveScreenshotAsync(page, "Home.desk.zh-Hans.phone");
        await page.SwitchLanguageAsync("en");
    });

    [Fact]
    public Task Home_ForAnApproverOnly_ShowsApprovals_NotHandlerPanels() => WithPageAsync(async page =>
    {
        await page.SignInAsync("approver@demo.local");
        await page.GotoAsync("");
        await Expect(page.Locator("[data-test=approvals-waiting]")).ToContainTextAsync("Waiting for a decision:");
        await Expect(page.Locator("[data-test=team-sla]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-test=operations]")).ToHaveCountAsync(0);
    });
}
