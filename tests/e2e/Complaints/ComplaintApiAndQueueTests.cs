using System.Text.Json;
using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

public sealed class ComplaintApiAndQueueTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    private static Dictionary<string, object?> Body(string phone, string? name = "Zhao Min", string order = "WEB-1") => new()
    {
        ["contactName"] = name, ["phone"] = phone, ["orderReference"] = order, ["channel"] = "Web", ["account"] = "Wrong size delivered.",
    };

    [Fact]
    public Task JsonIntake_Returns201WithTheReference_AndTheCaseIsQueued() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var phone = ComplaintSteps.NextPhone();

        var response = await page.APIRequest.PostAsync("api/complaints", new() { DataObject = Body(phone) });

        Assert.Equal(201, response.Status);
        var reference = (await response.JsonAsync())!.Value.GetProperty("reference").GetString()!;
        Assert.Matches("^C-\\d{4}-\\d{6}$", reference);
        // The Vent step opens once the acknowledgement has been sent in the background.
        await page.ReloadUntilVisibleAsync($"Queue?q={reference}", page.Locator($"[data-test=queue-row][data-reference='{reference}']"));
    });

    [Fact]
    public Task JsonIntake_Returns400WithAnErrorPerField_AndSavesNothing() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");

        var response = await page.APIRequest.PostAsync("api/complaints", new() { DataObject = Body("not a phone", name: "", order: "X") });

        Assert.Equal(400, response.Status);
        var errors = (await response.JsonAsync())!.Value.GetProperty("errors");
        Assert.True(errors.TryGetProperty("phone", out _));
        Assert.True(errors.TryGetProperty("contactName", out _));
        await page.GotoAsync("Queue?q=not a phone");
        await Expect(page.Locator("[data-test=empty]")).ToBeVisibleAsync();
    });

    [Fact]
    public Task JsonIntake_Returns409ForALikelyDuplicate_InAnyPhoneFormat_UnlessAllowed() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var phone = ComplaintSteps.NextPhone();
        Assert.Equal(201, (await page.APIRequest.PostAsync("api/complaints", new() { DataObject = Body(phone, order: "DUP-1") })).Status);

        var written = $"+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}";
        var duplicate = await page.APIRequest.PostAsync("api/complaints", new() { DataObject = Body(written, order: "DUP-1") });
        var allowed = Body(phone, order: "DUP-1");
        allowed["allowDuplicate"] = true;
        var anyway = await page.APIRequest.PostAsync("api/complaints", new() { DataObject = allowed });

        Assert.Equal(409, duplicate.Status);
        Assert.Equal(JsonValueKind.Array, (await duplicate.JsonAsync())!.Value.GetProperty("duplicates").ValueKind);
        Assert.Equal(201, anyway.Status);
    });

    [Fact]
    public Task JsonIntake_IsForbiddenToUsersWithoutTheHandlerRole() => WithPageAsync(async page =>
    {
        await page.SignInAsync("approver@demo.local");

        var response = await page.APIRequest.PostAsync("api/complaints", new() { DataObject = Body(ComplaintSteps.NextPhone()) });

        Assert.Equal(403, response.Status);
    });

    [Fact]
    public Task CaseDiagram_XmlIsServedSeparately_CachedAsImmutable_AndOnlyToSignedInStaff() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        await page.ReceivePhoneComplaintAsync();
        var url = await page.Locator("[data-test=diagram]").GetAttributeAsync("data-xml-url");

        var response = await page.APIRequest.GetAsync(url!);
        using var anonymous = new HttpClient { BaseAddress = App.BaseUrl };
        var refused = await anonymous.GetAsync(url!.TrimStart('/'));

        Assert.Equal(200, response.Status);
        Assert.Equal("private, max-age=31536000, immutable", response.Headers["cache-control"]);
        Assert.Contains("Task_Vent", await response.TextAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, await page.Locator("#diagram-xml").CountAsync()); // not embedded in the page any more
    });

    [Fact]
    public Task PhoneIntake_OffersTheDuplicate_AndLinkingOpensTheEarlierCase() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var phone = ComplaintSteps.NextPhone();
        var first = await page.ReceivePhoneComplaintAsync(phone, order: "DUP-PHONE");

        await page.GotoAsync("Complaints/New");
        await page.FillAsync("#Input_ContactName", "Wang Fang");
        await page.FillAsync("#Input_Phone", phone);
        await page.FillAsync("#Input_OrderReference", "DUP-PHONE");
        await page.FillAsync("#Input_Account", "Calling again about the cooker.");
        await page.ClickAsync("[data-test=review]");
        await page.ClickAsync("[data-test=confirm]");

        await Expect(page.Locator("[data-test=duplicates]")).ToContainTextAsync(first);
        await page.ClickAsync("[data-test=link-duplicate]");
        await Expect(page.Locator("[data-test=reference]")).ToHaveTextAsync(first);
    });

    [Fact]
    public Task PhoneIntake_RefusesInvalidFields_WithAMessageEach() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        await page.GotoAsync("Complaints/New");
        await page.FillAsync("#Input_Phone", "abc");
        await page.ClickAsync("[data-test=review]");

        await Expect(page.Locator("[data-valmsg-for='Input.ContactName']")).ToContainTextAsync("Contact name is required.");
        await Expect(page.Locator("[data-valmsg-for='Input.Phone']")).ToContainTextAsync("5 to 20 digits");
        await Expect(page.Locator("[data-valmsg-for='Input.Account']")).ToContainTextAsync("is required");
        await Expect(page.Locator("[data-test=read-back]")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Queue_OnAPhone_LetsAHandlerTakeAndGiveBackAStep_InChinese() => WithPagesAsync(1, async pages =>
    {
        var page = pages[0];
        await page.SetViewportSizeAsync(390, 844);
        await page.SignInAsync("handler@demo.local");
        var reference = await page.ReceivePhoneComplaintAsync();
        await page.WaitForStepAsync("complaint-vent");
        await page.ClickAsync(".navbar-toggler");
        await page.ClickAsync("[data-nav=language] button[value=zh-Hans]");

        await page.GotoAsync($"Queue?q={reference}");
        var row = page.Locator($"[data-test=queue-row][data-reference='{reference}']");
        await row.Locator("[data-test=claim]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToHaveTextAsync("您已领取此步骤。");
        await Expect(row).ToContainTextAsync("我的");
        await row.Locator("[data-test=unclaim]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToHaveTextAsync("您已将此步骤退回队列。");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the queue scrolls sideways on a phone ({width}px)");

        // Filters fold behind one button, so the work starts near the top; every button is a 44 px touch target.
        await page.GotoAsync("Queue");
        await Expect(page.Locator("#q")).ToBeHiddenAsync();
        var first = await page.Locator("[data-test=queue-row]").First.BoundingBoxAsync();
        Assert.True(first!.Y < 250, $"the first queue row starts {first.Y}px down on a phone");
        var small = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('main .btn, main a.touch-target')].filter(e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))");
        Assert.Empty(small);

        // The case page puts the customer's contact (a call button) before the step.
        await page.GotoAsync($"Queue?q={reference}");
        await row.Locator("a").First.ClickAsync();
        var call = await page.Locator("[data-test=call]").BoundingBoxAsync();
        var step = await page.Locator("[data-test=step-form]").BoundingBoxAsync();
        Assert.True(call!.Y < step!.Y, "the customer's phone number comes after the step on a phone");
        Assert.True(call.Height >= 44, $"the call button is {call.Height}px high");
        await PortalPageTest.SaveScreenshotAsync(page, "Case.phone.zh-Hans");
    });

    /// <summary>Internal names that must never reach a user (form keys, enum names, a doubled badge).</summary>
    private static readonly string[] RawKeys =
    [
        "complaint-vent", "complaint-escalation", "compensation-approve", "complaint-", "SocialReview", "InPerson", "AwaitFollowUp",
        "FollowUp", "ProductQuality", "Closed · Closed",
    ];

    [Fact]
    public Task QueueAndCase_ShowStepsAndChannelsInWords_NotInternalKeys() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var social = Body(ComplaintSteps.NextPhone(), order: "WORDS-1");
        social["channel"] = "SocialReview";
        var response = await page.APIRequest.PostAsync("api/complaints", new() { DataObject = social });
        Assert.Equal(201, response.Status);
        var reference = (await response.JsonAsync())!.Value.GetProperty("reference").GetString()!;
        var row = page.Locator($"[data-test=queue-row][data-reference='{reference}']");

        await page.ReloadUntilVisibleAsync($"Queue?q={reference}", row);
        await Expect(row.Locator("[data-test=step]")).ToHaveTextAsync("Vent");
        await Expect(row).ToContainTextAsync("Social review");
        var steps = await page.Locator("#step option").AllInnerTextsAsync();
        Assert.Contains("Approve compensation", steps);
        Assert.Contains("Handle escalation", steps);
        Assert.Contains("In person", await page.Locator("#channel option").AllInnerTextsAsync());
        await AssertNoRawKeysAsync(page);
        await PortalPageTest.SaveScreenshotAsync(page, "Queue.words.en");

        await page.SwitchLanguageAsync("zh-Hans");
        await Expect(row.Locator("[data-test=step]")).ToHaveTextAsync("鼓励发泄");
        await Expect(row).ToContainTextAsync("网络评价");
        await PortalPageTest.SaveScreenshotAsync(page, "Queue.words.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await PortalPageTest.SaveScreenshotAsync(page, "Queue.words.zh-Hans.phone");
        await page.SwitchLanguageAsync("en");
        await PortalPageTest.SaveScreenshotAsync(page, "Queue.words.en.phone");

        await page.SetViewportSizeAsync(1280, 800);
        await row.Locator("a").First.ClickAsync();
        await Expect(page.Locator("[data-test=reference]")).ToHaveTextAsync(reference);
        await Expect(page.Locator("[data-test=step]")).ToHaveTextAsync("Vent");
        await Expect(page.Locator("main")).ToContainTextAsync("Channel: Social review");
        await AssertNoRawKeysAsync(page);
        await Expect(page.Locator("[data-test=diagram]")).ToContainTextAsync("Let the customer vent");

        // The shipped diagram is drawn in the reader's language.
        await page.SwitchLanguageAsync("zh-Hans");
        await Expect(page.Locator("[data-test=diagram]")).ToContainTextAsync("鼓励客户发泄");
        await Expect(page.Locator("[data-test=diagram]")).Not.ToContainTextAsync("Let the customer vent");
        await PortalPageTest.SaveScreenshotAsync(page, "Case.diagram.zh-Hans");
        await page.SwitchLanguageAsync("en");
    });

    [Fact]
    public async Task Favicon_IsServed_AsAnIcon_AndTheLayoutLinksIt()
    {
        using var http = new HttpClient { BaseAddress = App.BaseUrl };

        using var ico = await http.GetAsync("favicon.ico");
        using var svg = await http.GetAsync("favicon.svg");
        var login = await http.GetStringAsync("Account/Login");

        Assert.Equal(System.Net.HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.svg\"", login);
    }

    private static async Task AssertNoRawKeysAsync(IPage page)
    {
        // What a user reads: the visible text and every option of every list.
        var text = await page.Locator("body").InnerTextAsync() + "\n" + string.Join("\n", await page.Locator("option").AllInnerTextsAsync());
        foreach (var key in RawKeys) Assert.False(text.Contains(key, StringComparison.Ordinal), $"'{key}' is shown on {page.Url}");
    }
}
