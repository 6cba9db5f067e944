using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

public sealed class ComplaintProcedureTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public Task Handler_TakesAPhoneComplaintThroughAllSixSteps_AndTheCaseClosesAfterTheCallback() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        await page.ReceivePhoneComplaintAsync(email: "wang.fang@example.com");
        // The diagram marks the step the instance waits at (read from the instance row's state on the case page).
        await page.WaitForStepAsync("complaint-vent");
        await Expect(page.Locator("[data-test=diagram] g.rem-highlight[data-element-id=Task_Vent]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=diagram] g.rem-highlight")).ToHaveCountAsync(1);

        await page.VentAsync();
        await page.ApologiseAsync();
        await page.ProbeAsync();
        await page.ProposeAsync(120m);
        await page.ConfirmAsync(accepted: true);
        // The refund goes to the payment gateway; the case waits until the gateway confirms it (3 s in this configuration).
        await Expect(page.Locator("[data-test=awaiting-payment]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=timeline]")).Not.ToContainTextAsync("Remedy delivered");
        var payment = page.Locator("[data-test=payment]");
        await ReloadUntilVisibleAsync(page, page.Url, page.Locator("[data-test=payment][data-status=Confirmed]"));
        await Expect(payment.Locator("[data-test=payment-amount]")).ToHaveTextAsync("120.00 CNY");
        await Expect(payment.Locator("[data-test=payment-channel]")).ToHaveTextAsync("Refund to original payment");
        await Expect(payment.Locator("[data-test=payment-status]")).ToHaveTextAsync("Confirmed");
        await Expect(payment.Locator("[data-test=payment-attempts]")).ToHaveTextAsync("1");
        // Then the remedy is delivered in the background and the callback (2 s in this configuration) opens the follow-up.
        await page.FollowUpAsync(satisfaction: 5);

        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("Closed");
        // Status and step are both "Closed": one badge, not two.
        await Expect(page.Locator("[data-test=step]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("Closed · Closed", await page.Locator("body").InnerTextAsync());
        var timeline = page.Locator("[data-test=timeline]");
        foreach (var entry in new[] { "Acknowledgement sent", "Done: Vent", "Done: Apologise", "Done: Probe", "Done: Propose", "Done: Confirm",
                     "Done: Payment requested", "Done: Payment outcome received", "Done: Remedy delivered", "Done: Callback due", "Done: Follow up",
                     "Done: Closed", "Message sent to wang.fang@example.com" })
            await Expect(timeline).ToContainTextAsync(entry);
        await Expect(page.Locator("[data-test=diagram] svg").First).ToBeVisibleAsync();
        // The timeline lists the payment's steps before the delivery.
        var entries = await timeline.Locator("[data-test=timeline-entry]").AllInnerTextsAsync();
        Assert.True(entries.ToList().FindIndex(e => e.Contains("Payment outcome received")) < entries.ToList().FindIndex(e => e.Contains("Remedy delivered")));
        // The timeline states outcomes, and the record keeps what was said and decided at every step.
        await Expect(timeline).ToContainTextAsync("Customer accepted");
        await Expect(timeline).ToContainTextAsync("Payment confirmed: 120.00 CNY · Refund to original payment");
        await Expect(timeline).ToContainTextAsync("Follow-up: satisfaction 5 of 5 — Customer happy with the refund.");
        var record = page.Locator("[data-test=record]");
        await Expect(record.Locator("[data-test=record-vent]")).ToContainTextAsync("It arrived broken; I waited two weeks.");
        await Expect(record.Locator("[data-test=record-apology]")).ToContainTextAsync("很抱歉我们让您感到失望了");
        await Expect(record.Locator("[data-test=desired-resolution]")).ToHaveTextAsync("Refund");
        var proposal = record.Locator("[data-test=record-proposal]");
        await Expect(proposal).ToContainTextAsync("120.00 CNY");
        await Expect(proposal.Locator("[data-test=customer-answer]")).ToContainTextAsync("Customer accepted");
        await Expect(proposal.Locator("[data-test=proposal-payment]")).ToContainTextAsync("Confirmed");
        await Expect(record.Locator("[data-test=record-follow-up] [data-test=satisfaction]")).ToHaveAttributeAsync("aria-label", "5 of 5");

        await PortalPageTest.SaveScreenshotAsync(page, "ComplaintCase.payment.en");
        await page.SwitchLanguageAsync("zh-Hans");
        var zh = page.Locator("[data-test=payment]");
        await Expect(zh.Locator("[data-test=payment-status]")).ToHaveTextAsync("已确认");
        await Expect(zh.Locator("[data-test=payment-channel]")).ToHaveTextAsync("原路退款");
        await PortalPageTest.SaveScreenshotAsync(page, "ComplaintCase.payment.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await PortalPageTest.SaveScreenshotAsync(page, "ComplaintCase.payment.zh-Hans.phone");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the case page scrolls sideways on a phone ({width}px)");
    });

    [Fact]
    public Task RemedyAboveAuthority_GoesToAnApprover_WhoRejects_ThenApprovesARevisedOne() => WithPagesAsync(2, async pages =>
    {
        var (handler, approver) = (pages[0], pages[1]);
        await handler.SignInAsync("handler@demo.local");
        await approver.SignInAsync("approver@demo.local");
        var reference = await handler.ReceivePhoneComplaintAsync();
        var caseUrl = handler.Url;
        await handler.VentAsync();
        await handler.ApologiseAsync();
        await handler.ProbeAsync();

        await handler.ProposeAsync(900m);
        await Expect(handler.Locator("[data-test=awaiting-approval]")).ToBeVisibleAsync();

        var card = approver.Locator($"[data-test=approval][data-reference='{reference}']");
        await ReloadUntilVisibleAsync(approver, "Approvals", card);
        await Expect(card.Locator("[data-test=proposal]")).ToContainTextAsync("900.00 CNY");
        await card.Locator("[data-test=reason]").FillAsync("Too generous for a cracked lid");
        await card.Locator("[data-test=reject]").ClickAsync();
        await Expect(approver.Locator("[data-test=flash]")).ToContainTextAsync("rejected");

        // The proposer hears of it in their inbox: the bell counts it, the entry says who and why and links the case.
        await handler.GotoAsync("");
        await Expect(handler.Locator("[data-test=unread-count]")).ToHaveTextAsync("1");
        await handler.ClickAsync("[data-nav=inbox]");
        var entry = handler.Locator("[data-test=inbox-entry][data-kind=ProposalRejected]");
        await Expect(entry).ToContainTextAsync($"Demo Approver rejected your proposal on {reference}: Too generous for a cracked lid");
        await PortalPageTest.SaveScreenshotAsync(handler, "Inbox.en");
        await handler.SwitchLanguageAsync("zh-Hans");
        await Expect(entry).ToContainTextAsync($"Demo Approver 驳回了您在 {reference} 上的方案");
        await PortalPageTest.SaveScreenshotAsync(handler, "Inbox.zh-Hans");
        await handler.SetViewportSizeAsync(390, 844);
        await PortalPageTest.SaveScreenshotAsync(handler, "Inbox.zh-Hans.phone");
        await handler.SetViewportSizeAsync(1280, 800);
        await handler.SwitchLanguageAsync("en");
        await handler.ClickAsync("[data-test=read-all]");
        await Expect(handler.Locator("[data-test=unread-count]")).ToHaveCountAsync(0);

        await handler.GotoAsync(caseUrl);
        await handler.WaitForStepAsync("complaint-propose");
        await Expect(handler.Locator("[data-test=last-proposal]")).ToContainTextAsync("Too generous for a cracked lid");
        // The rejected proposal came back to the handler who made it: the Propose step is theirs, not the pool's.
        await Expect(handler.Locator("[data-test=assignee]")).ToContainTextAsync("Demo Handler");
        await handler.ProposeAsync(500m);

        await ReloadUntilVisibleAsync(approver, "Approvals", card);
        await Expect(card.Locator("[data-test=proposal]")).ToContainTextAsync("500.00 CNY");
        await card.Locator("[data-test=approve]").ClickAsync();
        await Expect(approver.Locator("[data-test=flash]")).ToContainTextAsync("approved");

        await handler.GotoAsync(caseUrl);
        await handler.WaitForStepAsync("complaint-confirm");
        await Expect(handler.Locator("[data-test=proposal]")).ToContainTextAsync("500.00 CNY");
        // Both proposals stay on the record with the approver's decision; the timeline says who decided and why.
        var proposals = handler.Locator("[data-test=record-proposal]");
        await Expect(proposals).ToHaveCountAsync(2);
        await Expect(proposals.Nth(0).Locator("[data-test=approval]")).ToContainTextAsync("Rejected by Demo Approver: Too generous for a cracked lid");
        await Expect(proposals.Nth(1).Locator("[data-test=approval]")).ToContainTextAsync("Approved by Demo Approver");
        await Expect(handler.Locator("[data-test=timeline]")).ToContainTextAsync("Rejected by Demo Approver: Too generous for a cracked lid");
        await PortalPageTest.SaveScreenshotAsync(handler, "ComplaintCase.record.en");
        await handler.SwitchLanguageAsync("zh-Hans");
        await Expect(proposals.Nth(0).Locator("[data-test=approval]")).ToContainTextAsync("Demo Approver 已驳回");
        await PortalPageTest.SaveScreenshotAsync(handler, "ComplaintCase.record.zh-Hans");
        await handler.SwitchLanguageAsync("en");
    });

    [Fact]
    public Task Customer_RejectsTwice_ThenAccepts() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        await page.ReceivePhoneComplaintAsync();
        await page.VentAsync();
        await page.ApologiseAsync();
        await page.ProbeAsync();

        await page.ProposeAsync(50m);
        await page.ConfirmAsync(accepted: false, reason: "Not enough");
        await page.ProposeAsync(80m);
        await page.ConfirmAsync(accepted: false, reason: "Still not enough");
        await page.ProposeAsync(150m);
        await page.ConfirmAsync(accepted: true);

        await page.WaitForStepAsync("complaint-follow-up");
        await Expect(page.Locator("[data-test=timeline] [data-test=timeline-entry]", new() { HasTextString = "Done: Confirm" })).ToHaveCountAsync(3);
    });

    [Fact]
    public Task AvoidedPhrase_IsFlaggedUnderItsField_NotInTheCustomersWords_AndNeedsAnAcknowledgementToSave() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        await page.ReceivePhoneComplaintAsync();
        await page.WaitForStepAsync("complaint-vent");
        var acknowledge = page.Locator("[data-test=acknowledge-avoided]");
        await Expect(acknowledge).ToBeHiddenAsync();
        // What the customer said at intake starts the Vent record.
        await Expect(page.Locator("#Input_Account")).ToHaveValueAsync("The rice cooker arrived broken and the courier was rude.");

        // The customer's account is their own words: never flagged. The handler's notes are.
        await page.FillAsync("#Input_Account", "You should be ashamed, calm down my foot!");
        await page.FillAsync("#Input_FactsNoted", "I told her you should calm down and read the manual.");
        var warning = page.Locator("[data-test=avoided-warning][data-field=Input_FactsNoted]");
        await Expect(warning).ToContainTextAsync("you should");
        await Expect(warning).ToContainTextAsync("calm down");
        await Expect(page.Locator("[data-test=avoided-warning]:visible")).ToHaveCountAsync(1);
        await Expect(acknowledge).ToBeVisibleAsync();
        await PortalPageTest.SaveScreenshotAsync(page, "Case.avoided-phrase.en");

        await page.ClickAsync("[data-test=submit-step]");
        await Expect(page.Locator("[data-test=errors]")).ToContainTextAsync("you should");
        await Expect(page.Locator("[data-test=step-form][data-form-key=complaint-vent]")).ToBeVisibleAsync();
        await Expect(acknowledge).ToBeVisibleAsync();

        await page.CheckAsync("#Input_AcknowledgeAvoided");
        await page.ClickAsync("[data-test=submit-step]");
        await page.WaitForStepAsync("complaint-apologise");
        await Expect(acknowledge).ToBeHiddenAsync();
    });

    [Fact]
    public Task SecondBrowser_CompletingTheSameStep_SeesWhoCompletedItFirst() => WithPagesAsync(2, async pages =>
    {
        var (first, second) = (pages[0], pages[1]);
        await first.SignInAsync("handler@demo.local");
        await second.SignInAsync("all@demo.local");
        await first.ReceivePhoneComplaintAsync();
        await first.WaitForStepAsync("complaint-vent");
        await second.GotoAsync(first.Url);
        await second.WaitForStepAsync("complaint-vent");

        await first.VentAsync();
        await first.WaitForStepAsync("complaint-apologise");
        await second.FillAsync("#Input_Account", "Also typed by the second handler.");
        await second.ClickAsync("[data-test=submit-step]");

        await Expect(second.Locator("[data-test=flash]")).ToContainTextAsync(new Regex("This step was already completed by Demo Handler at .+"));
        await Expect(second.Locator("h1")).Not.ToContainTextAsync("Error");
    });

    [Fact]
    public Task Handler_HandsACaseToASupervisor_AsAWorkOrder_AndTheProcedureStops() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        await page.ReceivePhoneComplaintAsync();
        await page.WaitForStepAsync("complaint-vent");

        await page.ClickAsync("details summary");
        await page.FillAsync("#Input_HandUpReason", "Customer demands the director; beyond my remit.");
        await page.ClickAsync("[data-test=hand-up]");

        await Expect(page.Locator("[data-test=flash]")).ToContainTextAsync("handed to a supervisor");
        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("Escalated");
        await Expect(page.Locator("[data-test=work-order]")).ToContainTextAsync("beyond my remit");
        await Expect(page.Locator("[data-test=step-form]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-test=timeline]")).ToContainTextAsync("Procedure cancelled");
    });

    private static async Task ReloadUntilVisibleAsync(IPage page, string url, ILocator locator)
    {
        await page.GotoAsync(url);
        for (var i = 0; i < 30 && await locator.CountAsync() == 0; i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await Expect(locator).ToBeVisibleAsync();
    }
}
