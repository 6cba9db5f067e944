using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Remediation.E2ETests.Reviews;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

/// <summary>Closed cases can be found again, by any writing of the phone number or by order, and lead to the customer's history.</summary>
public sealed class CaseSearchTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public Task ClosedAndOpenCases_AreFoundByPhoneInAnyFormat_AndByOrder_AndTheCustomerPageSumsTheirHistory() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var phone = ComplaintSteps.NextPhone();
        var closed = await page.ReceivePhoneComplaintAsync(phone, order: $"SRCH-{phone}");
        await page.VentAsync();
        await page.ApologiseAsync();
        await page.ProbeAsync();
        await page.ProposeAsync(120m);
        await page.ConfirmAsync(accepted: true);
        await page.FollowUpAsync(satisfaction: 4);
        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("Closed");
        var open = await page.ReceivePhoneComplaintAsync(phone, order: $"SRCH2-{phone}");

        // The same number as a customer would dictate it, with the country code and dashes.
        await page.GotoAsync($"Complaints?q={Uri.EscapeDataString($"+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}")}");
        var rows = page.Locator("[data-test=case-row]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToHaveAttributeAsync("data-reference", open);
        await Expect(page.Locator($"[data-test=case-row][data-reference='{closed}'] [data-test=state]")).ToHaveTextAsync("Closed");
        await Expect(page.Locator($"[data-test=case-row][data-reference='{open}'] [data-test=state]")).ToHaveTextAsync("Vent");
        await Expect(rows.First).ToContainTextAsync($"{phone[..3]} {phone[3..7]} {phone[7..]}");
        await PortalPageTest.SaveScreenshotAsync(page, "Cases.search.en");

        await page.GotoAsync($"Complaints?q=SRCH-{phone}");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-reference", closed);
        await page.GotoAsync($"Complaints?q={phone}&status=Open");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-reference", open);

        await page.SwitchLanguageAsync("zh-Hans");
        await page.GotoAsync($"Complaints?q={phone}");
        await Expect(page.Locator($"[data-test=case-row][data-reference='{closed}'] [data-test=state]")).ToHaveTextAsync("已结案");
        await PortalPageTest.SaveScreenshotAsync(page, "Cases.search.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("Complaints");
        // On a phone the filters fold away behind one button and the list starts near the top.
        await Expect(page.Locator("#q")).ToBeHiddenAsync();
        var firstRow = await rows.First.BoundingBoxAsync();
        Assert.True(firstRow!.Y < 250, $"the first case starts {firstRow.Y}px down on a phone");
        await PortalPageTest.SaveScreenshotAsync(page, "Cases.search.zh-Hans.phone");
        await page.SetViewportSizeAsync(1280, 800);
        await page.SwitchLanguageAsync("en");

        await page.GotoAsync($"Complaints?q={phone}");
        await page.Locator($"[data-test=case-row][data-reference='{closed}'] [data-test=customer]").ClickAsync();
        await Expect(page.Locator("[data-test=customer-name]")).ToHaveTextAsync("Wang Fang");
        await Expect(page.Locator("[data-test=complaint-count]")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-test=compensation-total]")).ToHaveTextAsync("120.00 CNY");
        await Expect(page.Locator("[data-test=satisfaction-average]")).ToHaveTextAsync("4.0 / 5");
        await Expect(page.Locator("[data-test=customer-complaints] li")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-test=phone]")).ToHaveAttributeAsync("href", $"tel:+86{phone}");
        await PortalPageTest.SaveScreenshotAsync(page, "Customer.en");
        await page.SwitchLanguageAsync("zh-Hans");
        await Expect(page.Locator("[data-test=satisfaction-average]")).ToHaveTextAsync("4.0 / 5");
        await PortalPageTest.SaveScreenshotAsync(page, "Customer.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await PortalPageTest.SaveScreenshotAsync(page, "Customer.zh-Hans.phone");
        await page.SwitchLanguageAsync("en");
    });

    [Fact]
    public Task TheCustomerPage_ListsTheirReviews_AndAHandlerSetsTheirProfile() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var phone = ComplaintSteps.NextPhone();
        await page.ReceivePhoneComplaintAsync(phone, order: $"PROF-{phone}");
        await page.PostReviewAsync($"prof-{phone}", 2, "物流太慢,包装破损", phone: phone);

        await page.GotoAsync($"Complaints?q={phone}");
        await page.Locator("[data-test=case-row] [data-test=customer]").First.ClickAsync();
        await Expect(page.Locator("[data-test=customer-reviews] li")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=customer-reviews]")).ToContainTextAsync("物流太慢");

        await page.Locator("[data-test=profile-edit] summary").ClickAsync();
        await page.SelectOptionAsync("#Profile_VipTier", "Gold");
        await page.SelectOptionAsync("#Profile_ValueClass", "Gold");
        await page.SelectOptionAsync("#Profile_BuyingBehaviour", "Haggler");
        await page.SelectOptionAsync("#Profile_Personality", "Analytical");
        await PortalPageTest.SaveScreenshotAsync(page, "Customer.profile.en");
        await page.ClickAsync("[data-test=profile-save]");
        await Expect(page.Locator("[data-test=profile-saved]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=vip]")).ToHaveTextAsync("Gold");
        await Expect(page.Locator("[data-test=profile]")).ToContainTextAsync("Haggler");
        await Expect(page.Locator("[data-test=profile]")).ToContainTextAsync("Analytical");

        // The case page's handling hint follows the new profile.
        await page.GotoAsync($"Complaints?q={phone}");
        await page.Locator("[data-test=case-row] a").First.ClickAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("Analytical: be sincere");

        await page.GoBackAsync();
        await page.Locator("[data-test=case-row] [data-test=customer]").First.ClickAsync();
        await page.SwitchLanguageAsync("zh-Hans");
        await page.Locator("[data-test=profile-edit] summary").ClickAsync();
        await Expect(page.Locator("[data-test=profile]")).ToContainTextAsync("讲价型");
        await PortalPageTest.SaveScreenshotAsync(page, "Customer.profile.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await PortalPageTest.SaveScreenshotAsync(page, "Customer.profile.zh-Hans.phone");
        await page.SetViewportSizeAsync(1280, 800);
        await page.SwitchLanguageAsync("en");
    });
}
