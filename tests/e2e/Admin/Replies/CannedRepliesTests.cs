using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Remediation.E2ETests.Reviews;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Admin.Replies;

/// <summary>/Admin/Replies and the picker: an admin writes a canned reply, a handler inserts it into a step's text field.</summary>
public sealed class CannedRepliesTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public Task AdminCreatesATemplate_HandlerInsertsItFilledFromTheCase() => WithPagesAsync(2, async pages =>
    {
        var (admin, handler) = (pages[0], pages[1]);
        await admin.SignInAsync("admin@demo.local");
        await admin.GotoAsync("Admin/Replies");
        await Expect(admin.Locator("[data-test=template]").First).ToBeVisibleAsync(); // the demo templates
        await admin.ClickAsync("[data-test=new-template]");
        await admin.ShootAsync("CannedReplies.edit");

        // Refused, naming the problem, and nothing saved: an unknown placeholder, then empty text.
        await admin.SelectOptionAsync("#Input_Step", "Apologise");
        await admin.SelectOptionAsync("#Input_Language", "en");
        await admin.FillAsync("#Input_Name", "E2E sorry");
        await admin.FillAsync("#Input_Text", "Sorry, {custmer}.");
        await admin.ClickAsync("[data-test=save]");
        await Expect(admin.Locator("[data-valmsg-for='Input.Text']")).ToHaveTextAsync("The placeholder {custmer} is not known; use {customer}, {reference}, {amount}, {handler}.");
        await PortalPageTest.SaveScreenshotAsync(admin, "CannedReplies.edit.refused.en");
        await admin.FillAsync("#Input_Text", "  ");
        await admin.ClickAsync("[data-test=save]");
        await Expect(admin.Locator("[data-valmsg-for='Input.Text']")).ToHaveTextAsync("Template text is required.");

        await admin.FillAsync("#Input_Text", "We're sorry we let you down, {customer}. I'm {handler}; case {reference} is mine until it is put right. Refund: {amount}.");
        await admin.ClickAsync("[data-test=save]");
        await Expect(admin.Locator("[data-test=flash]")).ToContainTextAsync("E2E sorry");
        var row = admin.Locator("[data-test=template][data-name='E2E sorry']");
        await Expect(row).ToHaveCountAsync(1);
        await admin.GotoAsync("Admin/Replies?Step=Apologise");
        await admin.ShootAsync("CannedReplies.admin");

        await handler.SignInAsync("handler@demo.local");
        var reference = await handler.ReceivePhoneComplaintAsync();
        await handler.VentAsync();
        await handler.WaitForStepAsync("complaint-apologise");
        var picker = handler.Locator("#Input_WordsUsed-canned");
        await Expect(picker).ToBeVisibleAsync();
        // The user's language first: English templates before the Chinese ones.
        Assert.Equal(["English", "中文"], await picker.Locator("optgroup").EvaluateAllAsync<string[]>("g => g.map(x => x.label)"));

        await picker.SelectOptionAsync(new SelectOptionValue { Label = "E2E sorry" });

        // Filled on the server from the case: the customer's name, the reference and the handler; no amount yet, so {amount} stays to be seen.
        await Expect(handler.Locator("#Input_WordsUsed")).ToHaveValueAsync(
            $"We're sorry we let you down, Wang Fang. I'm Demo Handler; case {reference} is mine until it is put right. Refund: {{amount}}.");
        await Expect(picker).ToHaveValueAsync(""); // ready for the next one
        await handler.ShootAsync("CannedReplies.picker");

        // In Chinese the Chinese templates come first, filled the same way.
        await handler.SwitchLanguageAsync("zh-Hans");
        var zhPicker = handler.Locator("#Input_WordsUsed-canned");
        Assert.Equal(["中文", "English"], await zhPicker.Locator("optgroup").EvaluateAllAsync<string[]>("g => g.map(x => x.label)"));
        await handler.FillAsync("#Input_WordsUsed", "");
        await zhPicker.SelectOptionAsync(new SelectOptionValue { Label = "抱歉添麻烦" });
        await Expect(handler.Locator("#Input_WordsUsed")).ToHaveValueAsync($"抱歉给您造成了麻烦。我是Demo Handler,案件{reference}由我亲自跟进,谢谢您的耐心。");

        // Inserted text is saved like typed text.
        await handler.CheckAsync("#Input_ApologyGiven");
        await handler.CheckAsync("#Input_ThanksGiven");
        await handler.ClickAsync("[data-test=submit-step]");
        await handler.WaitForStepAsync("complaint-probe");
        await handler.SwitchLanguageAsync("en");

        // Deleting is audited and the template leaves the picker.
        await admin.GotoAsync("Admin/Replies?Step=Apologise");
        await row.Locator("[data-test=delete]").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await admin.GotoAsync("Admin/Audit?f.Event=ReplyTemplateDeleted");
        await Expect(admin.Locator("[data-test=audit-row][data-event=ReplyTemplateDeleted]").First).ToContainTextAsync("E2E sorry");
    });

    [Fact]
    public Task TemplatesPage_IsForbiddenToHandlers() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");

        await page.GotoAsync("Admin/Replies");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("AccessDenied"));
    });
}
