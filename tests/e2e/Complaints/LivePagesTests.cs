using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

/// <summary>Pages follow work done elsewhere without a manual reload, and never throw away what the user is typing.</summary>
public sealed class LivePagesTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public Task QueueAndCasePage_ShowAStepTakenBySomeoneElse_WithoutAReload() => WithPagesAsync(3, async pages =>
    {
        var (watcher, caseWatcher, other) = (pages[0], pages[1], pages[2]);
        await watcher.SignInAsync("handler@demo.local");
        await caseWatcher.SignInAsync("handler@demo.local");
        await other.SignInAsync("all@demo.local");
        var reference = await other.ReceivePhoneComplaintAsync(order: "LIVE-1");
        var caseUrl = other.Url;
        await other.WaitForStepAsync("complaint-vent");

        var row = watcher.Locator($"[data-test=queue-row][data-reference='{reference}']");
        await watcher.ReloadUntilVisibleAsync($"Queue?q={reference}", row);
        await caseWatcher.GotoAsync(caseUrl);
        await caseWatcher.WaitForStepAsync("complaint-vent");
        await Expect(caseWatcher.Locator("[data-test=assignee]")).ToHaveCountAsync(0);

        await other.ClickAsync("[data-test=claim]");
        await Expect(other.Locator("[data-test=assignee]")).ToContainTextAsync("Demo All Roles");

        // Within a poll or two (10 s each), with no reload by the test: the row leaves the handler's queue, and the open
        // case page says who holds the step now.
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 25_000 });
        await Expect(caseWatcher.Locator("[data-test=assignee]")).ToContainTextAsync("Demo All Roles", new() { Timeout = 25_000 });
    });

    [Fact]
    public Task CasePage_KeepsWhatTheUserTypes_AndOffersTheChangesInABanner() => WithPagesAsync(2, async pages =>
    {
        var (typist, other) = (pages[0], pages[1]);
        await typist.SignInAsync("handler@demo.local");
        await other.SignInAsync("all@demo.local");
        await other.ReceivePhoneComplaintAsync(order: "LIVE-2");
        var caseUrl = other.Url;
        await other.WaitForStepAsync("complaint-vent");
        await typist.GotoAsync(caseUrl);
        await typist.WaitForStepAsync("complaint-vent");

        var banner = typist.Locator("[data-test=live-banner]");
        await Expect(banner).ToBeHiddenAsync();
        await typist.FillAsync("#Input_FactsNoted", "Half-written note");
        await other.ClickAsync("[data-test=claim]");

        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 25_000 });
        await Expect(typist.Locator("#Input_FactsNoted")).ToHaveValueAsync("Half-written note");
        await PortalPageTest.SaveScreenshotAsync(typist, "Case.live-banner.en");
        await banner.Locator("[data-live-reload]").ClickAsync();
        await Expect(typist.Locator("[data-test=assignee]")).ToContainTextAsync("Demo All Roles");
    });
}
