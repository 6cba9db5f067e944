using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

/// <summary>
/// Supervisors (issue 14, item 6) and the phone-call task (item 8): a Diamond customer's Vent is late after 3 s
/// (<see cref="ComplaintsApp"/>); the customer has a landline and no e-mail, so the acknowledgement becomes a call to make.
/// </summary>
public sealed class TeamViewTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    private static int landline = 1000;

    /// <summary>Phone intake of a Diamond customer with a Beijing landline and no e-mail; returns the reference, on the case page.</summary>
    private static async Task<string> ReceiveLandlineComplaintAsync(IPage page)
    {
        await page.GotoAsync("Complaints/New");
        await page.FillAsync("#Input_ContactName", "Zhao Min");
        await page.FillAsync("#Input_Phone", $"010 6552 {Interlocked.Increment(ref landline):D4}");
        await page.FillAsync("#Input_Goods", "Air purifier");
        await page.FillAsync("#Input_OrderReference", $"TEAM-{Guid.NewGuid():N}"[..20]);
        await page.FillAsync("#Input_PickupAddress", "1 Pickup Road");
        await page.FillAsync("#Input_DeliveryAddress", "2 Delivery Street");
        await page.FillAsync("#Input_Account", "The purifier stopped working after a week.");
        await page.SelectOptionAsync("#Input_VipTier", "Diamond");
        await page.ClickAsync("[data-test=review]");
        await page.ClickAsync("[data-test=confirm]");
        await Expect(page).ToHaveURLAsync(new Regex("/Complaints/Case"));
        return (await page.Locator("[data-test=reference]").TextContentAsync())!.Trim();
    }

    private static async Task ShootAsync(IPage page, string name, Func<Task> check)
    {
        await check();
        await PortalPageTest.SaveScreenshotAsync(page, name + ".en");
        await page.SwitchLanguageAsync("zh-Hans");
        await PortalPageTest.SaveScreenshotAsync(page, name + ".zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), $"{name} scrolls sideways at 390 px");
        await PortalPageTest.SaveScreenshotAsync(page, name + ".zh-Hans.phone");
        await page.SetViewportSizeAsync(1280, 900);
        await page.SwitchLanguageAsync("en");
    }

    [Fact]
    public Task Supervisor_ReassignsALateStep_ExtendsItWithAReason_AndResolvesTheWorkOrder_WhileAHandlerMakesTheCall() => WithPagesAsync(3, async pages =>
    {
        var (handler, supervisor, colleague) = (pages[0], pages[1], pages[2]);
        await handler.SignInAsync("handler@demo.local");
        var reference = await ReceiveLandlineComplaintAsync(handler);
        var caseUrl = handler.Url;

        // No e-mail, no mobile: the acknowledgement waits for a handler to phone and read it out.
        var callsLink = handler.Locator("[data-test=calls-link]");
        await handler.ReloadUntilVisibleAsync("Queue", callsLink);
        await callsLink.ClickAsync();
        var call = handler.Locator($"[data-test=call][data-reference='{reference}']");
        await Expect(call.Locator("[data-test=call-message]")).ToContainTextAsync(reference);
        await Expect(call.Locator("[data-test=call-phone]")).ToContainTextAsync("010 6552");
        await ShootAsync(handler, "Calls", () => Expect(call).ToBeVisibleAsync());
        call = handler.Locator($"[data-test=call][data-reference='{reference}']");
        await call.Locator("[data-test=call-done]").ClickAsync();
        call = handler.Locator($"[data-test=call][data-reference='{reference}']");
        await Expect(call.Locator("[data-test=call-error]")).ToContainTextAsync("Choose whether the customer was reached.");
        await call.Locator("[data-test=call-reached]").CheckAsync();
        await call.Locator("[data-test=call-note]").FillAsync("Read the acknowledgement out; she will wait for our call.");
        await call.Locator("[data-test=call-done]").ClickAsync();
        await Expect(handler.Locator("[data-test=flash]")).ToHaveTextAsync("The call to Zhao Min was recorded.");
        await Expect(handler.Locator($"[data-test=call][data-reference='{reference}']")).ToHaveCountAsync(0);

        // The handler takes Vent and lets it run late.
        await handler.GotoAsync(caseUrl);
        await Expect(handler.Locator("[data-test=timeline]")).ToContainTextAsync("Customer phoned, reached: Read the acknowledgement out");
        await handler.WaitForStepAsync("complaint-vent");
        await handler.ClickAsync("[data-test=claim]");
        await handler.ReloadUntilVisibleAsync(caseUrl, handler.Locator("[data-test=overdue]"));

        // The supervisor sees it overdue under its holder and hands it to a colleague.
        await supervisor.SignInAsync("supervisor@demo.local");
        await supervisor.GotoAsync("");
        await supervisor.ClickAsync("[data-test=team-link]");
        var holder = supervisor.Locator("[data-test=holder-row]").Filter(new() { HasText = "Demo Handler" });
        await Expect(holder.Locator("[data-test=holder-overdue]")).Not.ToHaveTextAsync("0");
        await holder.Locator("[data-test=holder-link]").ClickAsync();
        var row = supervisor.Locator($"[data-test=team-task][data-reference='{reference}']");
        await Expect(row.Locator("[data-test=task-overdue]")).ToBeVisibleAsync();
        await Expect(row.Locator("[data-test=task-holder]")).ToHaveTextAsync("Demo Handler");
        await ShootAsync(supervisor, "Team", () => Expect(row).ToBeVisibleAsync());
        row = supervisor.Locator($"[data-test=team-task][data-reference='{reference}']");
        await row.Locator("[data-test=reassign-to]").SelectOptionAsync(new SelectOptionValue { Label = "Demo All Roles" });
        await row.Locator("[data-test=reassign]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=flash]")).ToHaveTextAsync("The step was handed over.");

        await colleague.SignInAsync("all@demo.local");
        var queued = colleague.Locator($"[data-test=queue-row][data-reference='{reference}']");
        await colleague.ReloadUntilVisibleAsync($"Queue?q={reference}&mine=true", queued);
        await colleague.ClickAsync("[data-nav=inbox]");
        await Expect(colleague.Locator("[data-test=inbox-entry][data-kind=CaseHandedToYou]").First).ToContainTextAsync($"Demo Supervisor handed you a step of {reference}.");

        // The escalation shows the late step and its holder; the due date moves only into the future, with a reason.
        await supervisor.GotoAsync(caseUrl);
        await supervisor.WaitForStepAsync("complaint-escalation");
        var late = supervisor.Locator("[data-test=late-step]");
        await Expect(late.Locator("[data-test=late-holder]")).ToHaveTextAsync("Held by Demo All Roles");
        // The escalation note offers the supervisors' canned replies, filled in for this case.
        var picker = supervisor.Locator("[data-test=complete-form] [data-test=canned-picker]").First;
        await picker.SelectOptionAsync(new SelectOptionValue { Label = "Handed on" });
        await Expect(supervisor.Locator("#Input_EscalationNote")).ToHaveValueAsync(new Regex($"The late step of case {reference} was handed to a colleague"));
        await supervisor.FillAsync("#Input_EscalationNote", "");
        await ShootAsync(supervisor, "Case.escalation", () => Expect(late).ToBeVisibleAsync());
        late = supervisor.Locator("[data-test=late-step]");
        await late.Locator("[data-test=extend-open]").ClickAsync();
        await late.Locator("[data-test=extend-due]").FillAsync(DateTime.Now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm"));
        await late.Locator("[data-test=extend-reason]").FillAsync("Customer is abroad until Monday");
        await late.Locator("[data-test=extend-submit]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=flash]")).ToHaveTextAsync("New due date must be in the future.");
        await Expect(supervisor.Locator("[data-test=overdue]")).ToBeVisibleAsync();
        late = supervisor.Locator("[data-test=late-step]");
        await late.Locator("[data-test=extend-open]").ClickAsync();
        await late.Locator("[data-test=extend-due]").FillAsync(DateTime.Now.AddDays(2).ToString("yyyy-MM-ddTHH:mm"));
        await late.Locator("[data-test=extend-reason]").FillAsync("Customer is abroad until Monday");
        await late.Locator("[data-test=extend-submit]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=flash]")).ToHaveTextAsync("The due date was moved.");
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync("Vent handed to Demo All Roles");
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync(new Regex("Vent due date moved to .+: Customer is abroad until Monday"));
        await Expect(supervisor.Locator("[data-test=overdue]")).ToHaveCountAsync(0);

        // The colleague cannot finish it and writes a work order; the supervisor settles it with the customer.
        await colleague.GotoAsync(caseUrl);
        await colleague.WaitForStepAsync("complaint-vent");
        await colleague.ClickAsync("details:has([data-test=hand-up]) summary");
        await colleague.FillAsync("#Input_HandUpReason", "The customer wants a supervisor to decide.");
        await colleague.ClickAsync("[data-test=hand-up]");
        await supervisor.ClickAsync("[data-nav=work-orders]");
        var order = supervisor.Locator($"[data-test=work-order][data-reference='{reference}']");
        await order.Locator("[data-test=remedy-given]").FillAsync("Replacement purifier sent by express");
        await order.Locator("[data-test=contact-channel]").SelectOptionAsync("Phone");
        await order.Locator("[data-test=contacted-at]").FillAsync(DateTime.Now.AddMinutes(-15).ToString("yyyy-MM-ddTHH:mm"));
        await order.Locator("[data-test=contact-summary]").FillAsync("Called Ms Zhao; she accepted the replacement.");
        await order.Locator("[data-test=follow-up]").CheckAsync();
        await order.Locator("[data-test=follow-up-at]").FillAsync(DateTime.Now.AddDays(3).ToString("yyyy-MM-ddTHH:mm"));
        await order.Locator("[data-test=resolve]").ClickAsync();
        await Expect(supervisor.Locator("[data-test=flash]")).ToHaveTextAsync("The work order was resolved and the complaint is closed.");

        await supervisor.GotoAsync(caseUrl);
        var record = supervisor.Locator("[data-test=record-work-order]");
        await Expect(record.Locator("[data-test=record-remedy-given]")).ToContainTextAsync("Replacement purifier sent by express");
        await Expect(record.Locator("[data-test=record-contact]")).ToContainTextAsync("Phone");
        await Expect(record.Locator("[data-test=record-contact]")).ToContainTextAsync("she accepted the replacement");
        await Expect(record.Locator("[data-test=record-follow-up-scheduled]")).ToContainTextAsync("Scheduled for");
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync("Customer contacted by Phone: Called Ms Zhao");
        await Expect(supervisor.Locator("[data-test=timeline]")).ToContainTextAsync("Work order resolved: Replacement purifier sent by express — follow-up scheduled for");
        await ShootAsync(supervisor, "Case.work-order-record", () => Expect(record).ToBeVisibleAsync());
    });

    [Fact]
    public Task TeamView_IsForSupervisorsAndAdmins() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        Assert.Equal(403, (await page.GotoAsync("Team"))!.Status);
    });
}
