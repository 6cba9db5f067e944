using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Reviews;

public sealed class ReviewFlowTests(ReviewsApp app, BrowserFixture browsers, ITestOutputHelper output) : PortalPageTest(app, browsers, output), IClassFixture<ReviewsApp>
{
    private readonly BrowserFixture chromium = browsers;

    [Fact]
    public Task OneStarReview_ReplyOfferTwoApprovals_CustomerAccepts_AndTheTimelineShowsEveryStep() => WithPageAsync(async handler =>
    {
        await handler.LoginAsAsync("handler@demo.local");
        var id = await handler.PostReviewAsync("flow-1", 1, "水壶漏水,非常失望。");
        await handler.OpenReviewAsync(id);
        await handler.ReplyAsync("非常抱歉给您带来不便,我们马上为您处理。", "offer");

        await handler.WaitForReviewStepAsync("review-offer");
        await handler.SelectOptionAsync("[data-test=method]", "Cash");
        await handler.SelectOptionAsync("[data-test=channel]", "Alipay");
        await handler.FillAsync("[data-test=amount]", "300");
        await handler.FillAsync("[data-test=currency]", "CNY");
        await handler.FillAsync("[data-test=justification]", "The kettle leaked on first use.");
        await handler.ClickAsync("[data-test=offer-form] [data-test=submit]");
        await Expect(handler.Locator("[data-test=offer]").First).ToContainTextAsync("300.00 CNY");
        await Expect(handler.Locator("[data-test=level]")).ToHaveCountAsync(2);
        await handler.ShootAsync("Review.offer");

        await using (var context = await NewContextAsync())
        {
            var approver = await context.NewPageAsync();
            await approver.LoginAsAsync("approver@demo.local");
            var card = await approver.ApprovalCardAsync("flow-1");
            await Expect(card.Locator("[data-test=level]")).ToContainTextAsync("Level 1 of 2");
            await Expect(card.Locator("[data-test=consistency]")).ToBeVisibleAsync();
            await approver.ShootAsync("Approvals.review");
            card = await approver.ApprovalCardAsync("flow-1");
            await card.Locator("[data-test=comment]").FillAsync("Reasonable");
            await card.Locator("[data-test=approve]").ClickAsync();
            await Expect(approver.Locator("[data-test=flash]")).ToContainTextAsync("Your approval was recorded.");
            // The second level is a supervisor's: the approver no longer sees it.
            await Expect(approver.Locator("[data-test=offer-approval][data-external-id='flow-1']")).ToHaveCountAsync(0);

            await using var supervisorContext = await NewContextAsync();
            var supervisor = await supervisorContext.NewPageAsync();
            await supervisor.LoginAsAsync("supervisor@demo.local");
            card = await supervisor.ApprovalCardAsync("flow-1");
            await Expect(card.Locator("[data-test=level]")).ToContainTextAsync("Level 2 of 2");
            await card.Locator("[data-test=approve]").ClickAsync();
            await Expect(supervisor.Locator("[data-test=flash]")).ToContainTextAsync("Your approval was recorded.");
        }

        // The last approval requests the payment; the development gateway confirms it a few seconds later.
        await handler.OpenReviewAsync(id);
        await handler.WaitForReviewStepAsync("review-tell-customer");
        await Expect(handler.Locator("[data-test=payment]")).ToHaveAttributeAsync("data-status", "Confirmed");
        await Expect(handler.Locator("[data-test=payment-amount]")).ToContainTextAsync("300.00 CNY");
        await Expect(handler.Locator("[data-test=payment-channel]")).ToHaveTextAsync("Alipay");
        await handler.FillAsync("[data-test=tell-form] [data-test=text]", "我们已通过支付宝向您支付 300 元补偿,再次致歉。");
        await handler.ClickAsync("[data-test=tell-form] [data-test=submit]");
        await handler.WaitForReviewStepAsync("review-customer-answer");
        await handler.CheckAsync("[data-test=answer-Accepted]");
        await handler.ClickAsync("[data-test=answer-form] [data-test=submit]");

        await Expect(handler.Locator("[data-test=status]")).ToHaveTextAsync("Closed");
        await Expect(handler.Locator("[data-test=outcome]")).ToHaveTextAsync("Accepted");
        await Expect(handler.Locator("[data-test=offer-status]").First).ToHaveTextAsync("Accepted");
        await Expect(handler.Locator("[data-test=payment]")).ToHaveAttributeAsync("data-status", "Confirmed");
        var timeline = handler.Locator("[data-test=timeline]");
        foreach (var entry in new[] { "Review received", "Done: Reply to the review", "Done: Make a compensation offer", "Done: Approve the offer (this level)",
                     "Done: Request payment", "Done: Payment confirmed", "Done: Tell the customer", "Done: Record the customer's answer", "Done: Review closed", "Procedure ended" })
            await Expect(timeline).ToContainTextAsync(entry);
        Assert.Equal(2, await timeline.Locator("text=Done: Approve the offer (this level)").CountAsync());
        await Expect(handler.Locator("[data-test=diagram] svg").First).ToBeVisibleAsync();
        await handler.ShootAsync("Review.closed");
    });

    [Fact]
    public Task ReplyAskingTheCustomerToChangeTheReview_IsRefused_AndAudited() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");
        var id = await page.PostReviewAsync("firewall-1", 1, "质量太差了。");
        await page.OpenReviewAsync(id);
        await page.ReplyAsync("非常抱歉!麻烦您把差评改成好评,我们给您返现 20 元。", "close");

        await Expect(page.Locator("[data-test=errors]")).ToContainTextAsync("asks the customer to change or remove a review");
        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("New");
        await Expect(page.Locator("#Reply_Text")).ToHaveValueAsync("非常抱歉!麻烦您把差评改成好评,我们给您返现 20 元。");
        await Expect(page.Locator("[data-test=note]")).ToHaveCountAsync(0);
        await page.ShootAsync("Review.refused", phone: false);
        using var scope = Portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Remediation.Portal.Data.RemediationDbContext>();
        Assert.Contains(db.Set<Remediation.Portal.Data.AuditEntry>().Where(a => a.Event == "IncentiveRefused").Select(a => a.Detail).ToList(),
            d => d!.Contains(id, StringComparison.Ordinal));

        await page.ReplyAsync("非常抱歉给您带来不便,我们会改进包装。", "close");
        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("Closed");
    });

    [Fact]
    public Task Proposer_CannotApproveTheirOwnOffer() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("all@demo.local");
        var id = await page.PostReviewAsync("own-1", 2, "Late delivery.");
        await page.OpenReviewAsync(id);
        await page.ReplyAsync("Sorry for the delay.", "offer");
        await page.WaitForReviewStepAsync("review-offer");
        await page.FillAsync("[data-test=amount]", "20");
        await page.FillAsync("[data-test=justification]", "Late delivery");
        await page.ClickAsync("[data-test=offer-form] [data-test=submit]");

        var card = await page.ApprovalCardAsync("own-1");
        await Expect(card.Locator("[data-test=own-proposal]")).ToBeVisibleAsync();
        await card.Locator("[data-test=approve]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToContainTextAsync("cannot approve or reject their own offer");
        await page.OpenReviewAsync(id);
        await Expect(page.Locator("[data-test=offer-status]").First).ToHaveTextAsync("Awaiting approval");
    });

    [Fact]
    public Task FiveStarReview_GetsAThankYouReply_AndCloses() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");
        var id = await page.PostReviewAsync("five-1", 5, "Excellent product!");
        await page.OpenReviewAsync(id);
        await page.ReplyAsync("Thank you for your kind words!", "close");
        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("Closed");
        await Expect(page.Locator("[data-test=outcome]")).ToHaveTextAsync("Replied");
        await Expect(page.Locator("[data-test=note]")).ToContainTextAsync("Thank you for your kind words!");
        await Expect(page.Locator("[data-test=timeline]")).ToContainTextAsync("Done: Replied and closed");
    });

    [Fact]
    public Task Api_CreatesOnce_AnswersTheSameIdAgain_AndNamesEveryBadField() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");
        var id = await page.PostReviewAsync("api-1", 3, "OK", phone: "+86 138 0000 1111");
        Assert.Equal(id, await page.PostReviewAsync("api-1", 1, "Changed text is ignored", phone: "+86 138 0000 1111", expectStatus: 200));

        var bad = await page.APIRequest.PostAsync("api/reviews", new APIRequestContextOptions
        {
            DataObject = new { platform = "eBay", rating = 9, text = "", postedAt = "yesterday", customer = new { email = "not-an-email" } },
        });
        Assert.Equal(400, bad.Status);
        Assert.StartsWith("application/problem+json", bad.Headers["content-type"]);
        var errors = JsonDocument.Parse(await bad.TextAsync()).RootElement.GetProperty("errors");
        foreach (var field in new[] { "platform", "externalId", "rating", "text", "postedAt", "customer.email" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
    });

    [Fact]
    public Task CsvImport_PreviewNamesTheBadRowsLineAndColumn_ThenImportsTheRest() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");
        var csv = "platform,externalId,rating,text,postedAt,customerName\n"
            + "JD,csv-1,1,\"Broken, and late\",2026-11-20 10:00,李雷\n"
            + "JD,csv-2,six,Bad rating,2026-11-20 10:00,韩梅梅\n"
            + "JD,csv-3,4,\"Two\nlines\",2026-11-21T09:00:00+08:00,\n";
        async Task CheckAsync()
        {
            await page.GotoAsync("Reviews/Import");
            await page.SetInputFilesAsync("[data-test=file]", new FilePayload { Name = "reviews.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
            await page.ClickAsync("[data-test=check]");
            await Expect(page.Locator("[data-test=preview]")).ToBeVisibleAsync();
        }
        await page.GotoAsync("Reviews/Import");
        await page.ShootAsync("Import.upload");
        await page.SwitchLanguageAsync("zh-Hans");
        await CheckAsync();
        await PortalPageTest.SaveScreenshotAsync(page, "Import.preview.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await PortalPageTest.SaveScreenshotAsync(page, "Import.preview.zh-Hans.390");
        await page.SetViewportSizeAsync(1280, 800);
        await page.SwitchLanguageAsync("en");

        await CheckAsync();
        var error = page.Locator("[data-test=import-error]");
        await Expect(error).ToHaveCountAsync(1);
        await Expect(error).ToHaveAttributeAsync("data-line", "3");
        await Expect(error).ToHaveAttributeAsync("data-column", "rating");
        await Expect(page.Locator("[data-test=preview]")).ToContainTextAsync("2 reviews will be imported");
        await PortalPageTest.SaveScreenshotAsync(page, "Import.preview.en");
        await page.ClickAsync("[data-test=confirm]");
        await Expect(page.Locator("[data-test=done]")).ToContainTextAsync("2 reviews imported, 0 duplicates skipped, 1 rows with errors");
        await PortalPageTest.SaveScreenshotAsync(page, "Import.done.en");
        await page.GotoAsync("Reviews?q=csv-3");
        await Expect(page.Locator("[data-test=review-row][data-external-id='csv-3']")).ToBeVisibleAsync();
        // An imported review's process runs like any other: reply and close.
        await page.ClickAsync("[data-test=review-row][data-external-id='csv-3'] a");
        await page.ReplyAsync("Thank you!", "close");
        await Expect(page.Locator("[data-test=outcome]")).ToHaveTextAsync("Replied");

        // The same file through the API: nothing new, both valid rows are duplicates.
        var again = await page.APIRequest.PostAsync("api/reviews/import?dryRun=false", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "text/csv" }, DataByte = Encoding.UTF8.GetBytes(csv),
        });
        var answer = JsonDocument.Parse(await again.TextAsync()).RootElement;
        Assert.Equal((0, 2), (answer.GetProperty("imported").GetInt32(), answer.GetProperty("duplicates").GetInt32()));
        Assert.Equal(3, answer.GetProperty("errors")[0].GetProperty("line").GetInt32());
    });

    [Fact]
    public Task Queue_ShowsTheSeededReviews_WithFiltersAndScreenshots() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");
        await page.ClickAsync("[data-nav=reviews]");
        await Expect(page.Locator("[data-test=review-row]").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("[data-test=review-row]").CountAsync() >= 10);
        await page.ShootAsync("Reviews.queue");
        await page.SelectOptionAsync("[data-test=rating]", "5");
        await page.ClickAsync("[data-test=filter]");
        foreach (var stars in await page.Locator("[data-test=review-row] [aria-label^='Rating']").AllInnerTextsAsync()) Assert.Equal("★★★★★", stars);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("Reviews");
        // On a phone the filters fold away behind one button, and the queue starts near the top.
        await Expect(page.Locator("[data-test=search]")).ToBeHiddenAsync();
        var firstRow = await page.Locator("[data-test=review-row]").First.BoundingBoxAsync();
        Assert.True(firstRow!.Y < 250, $"the first review starts {firstRow.Y}px down on a phone");
        await page.ClickAsync("[data-test=review-filters] summary");
        await Expect(page.Locator("[data-test=search]")).ToBeVisibleAsync();
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync("Reviews/New");
        await page.ClickAsync("[data-test=submit]");
        await Expect(page.Locator("[data-test=errors]")).ToContainTextAsync("Platform is required.");
        await page.ShootAsync("Reviews.new");
    });

    private async Task<IBrowserContext> NewContextAsync()
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Portal.BaseUrl.ToString(), Locale = "en-US", ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }
}
