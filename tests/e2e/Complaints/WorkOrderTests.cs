using System.Text.RegularExpressions;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

public sealed class WorkOrderTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public Task HandedUpCase_IsResolvedBySupervisorOnTheWorkOrdersPage_ASecondSupervisorSeesAlreadyResolved() => WithPagesAsync(3, async pages =>
    {
        var (handler, supervisor, second) = (pages[0], pages[1], pages[2]);
        await handler.SignInAsync("handler@demo.local");
        var reference = await handler.ReceivePhoneComplaintAsync();
        await handler.WaitForStepAsync("complaint-vent");
        await handler.ClickAsync("details summary:has-text('Hand to supervisor')");
        await handler.FillAsync("#Input_HandUpReason", "Customer insists on talking to a manager.");
        await handler.ClickAsync("[data-test=hand-up]");
        await Expect(handler.Locator("[data-test=status]")).ToHaveTextAsync("Escalated");

        await supervisor.SignInAsync("supervisor@demo.local");
        await supervisor.GotoAsync(handler.Url);
        await Expect(supervisor.Locator("[data-test=work-orders-link]")).ToBeVisibleAsync();
        await supervisor.ClickAsync("[data-nav=work-orders]");
        var card = supervisor.Locator($"[data-test=work-order][data-reference='{reference}']");
        await Expect(card.Locator("[data-test=reason]")).ToHaveTextAsync("Customer insists on talking to a manager.");
        await Expect(card.Locator("[data-test=trigger]")).ToHaveTextAsync("Handed to a supervisor");
        await Expect(card).ToContainTextAsync("Raised by Demo Handler");
        await Expect(card.Locator("[data-test=age]")).ToHaveTextAsync(new Regex(@"^\d+ min$"));
        await second.SignInAsync("all@demo.local");
        await second.GotoAsync("WorkOrders");

        // An empty note is refused on that order's field; nothing changes.
        await card.Locator("[data-test=resolve]").ClickAsync();
        card = supervisor.Locator($"[data-test=work-order][data-reference='{reference}']");
        await Expect(card.Locator("[data-test=resolution-error]")).ToHaveTextAsync("Remedy given is required.");

        await card.Locator("[data-test=remedy-given]").FillAsync("Manager called back; full refund agreed.");
        await card.Locator("[data-test=contacted-at]").FillAsync(DateTime.Now.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm"));
        await card.Locator("[data-test=contact-summary]").FillAsync("Called the customer and agreed the refund.");
        await card.Locator("[data-test=resolve]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=flash]")).ToHaveTextAsync("The work order was resolved and the complaint is closed.");
        await Expect(supervisor.Locator($"[data-test=work-order][data-reference='{reference}']")).ToHaveCountAsync(0);

        // The second supervisor's page still shows the order: resolving it says who was first, never an error page.
        var stale = second.Locator($"[data-test=work-order][data-reference='{reference}']");
        await stale.Locator("[data-test=remedy-given]").FillAsync("Refund");
        await stale.Locator("[data-test=contacted-at]").FillAsync(DateTime.Now.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm"));
        await stale.Locator("[data-test=contact-summary]").FillAsync("Called too.");
        await stale.Locator("[data-test=resolve]").ClickAsync();
        await Expect(second.Locator("[data-test=flash]")).ToHaveTextAsync(new Regex("^This work order was already resolved by Demo Supervisor at "));

        await second.ClickAsync("[data-nav=work-orders]");
        await Expect(second.Locator($"[data-test=work-order][data-reference='{reference}']")).ToHaveCountAsync(0);
        await supervisor.GotoAsync(handler.Url);
        await Expect(supervisor.Locator("[data-test=status]")).ToHaveTextAsync("Closed");
    });

    [Fact]
    public Task HandUpWithoutReason_IsRefusedInChinese_NamingTheField() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var reference = await page.ReceivePhoneComplaintAsync();
        await page.WaitForStepAsync("complaint-vent");
        await page.ClickAsync("[data-nav=language] button[value=zh-Hans]");

        await page.ClickAsync("details:has([data-test=hand-up]) summary");
        await page.ClickAsync("[data-test=hand-up]");

        await Expect(page.Locator("[data-test=errors]")).ToContainTextAsync("请填写“原因”。");
        await Expect(page.Locator("[data-test=reference]")).ToHaveTextAsync(reference);
        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("处理中");
    });

    [Fact]
    public Task WorkOrdersPage_IsForSupervisorsOnly_AndSpeaksChinese() => WithPagesAsync(2, async pages =>
    {
        var (handler, supervisor) = (pages[0], pages[1]);
        await handler.SignInAsync("handler@demo.local");
        var response = await handler.GotoAsync("WorkOrders");
        Assert.Equal(403, response!.Status);

        await supervisor.SignInAsync("supervisor@demo.local");
        await supervisor.GotoAsync("WorkOrders");
        await supervisor.ClickAsync("[data-nav=language] button[value=zh-Hans]");
        await Expect(supervisor.Locator("main h1")).ToHaveTextAsync("客服工单");
        await Expect(supervisor.Locator("[data-nav=work-orders]")).ToHaveTextAsync("客服工单");
    });
}
