using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Reviews;

/// <summary>A portal with a dozen sample reviews seeded (the embedded default seeds more), so the queue is alive from the start.</summary>
public sealed class ReviewsApp : PortalFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } =
        new Dictionary<string, string> { ["Seed:SampleReviews"] = "12" };
}

/// <summary>Steps of the review pages as a user takes them.</summary>
public static class ReviewSteps
{
    /// <summary>Posts a review through the JSON API (the browser context's cookies); returns its id.</summary>
    public static async Task<string> PostReviewAsync(this IPage page, string externalId, int rating, string text, string? phone = null, int expectStatus = 201)
    {
        var response = await page.APIRequest.PostAsync("api/reviews", new APIRequestContextOptions
        {
            DataObject = new
            {
                platform = "Taobao", externalId, rating, text, postedAt = DateTimeOffset.UtcNow.AddHours(-2).ToString("O"), orderReference = "SO-" + externalId,
                language = "zh", customer = new { name = "王芳", phone = phone ?? "+86 139 " + Random.Shared.Next(1000, 9999) + " " + Random.Shared.Next(1000, 9999), platformBuyerId = "tb-" + externalId },
            },
        });
        Assert.Equal(expectStatus, response.Status);
        return JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task OpenReviewAsync(this IPage page, string id)
    {
        await page.GotoAsync($"Reviews/Review?id={id}");
        await Expect(page.Locator("[data-test=title]")).ToBeVisibleAsync();
    }

    /// <summary>Reloads the review page until the step with <paramref name="formKey"/> is shown (background work may move the process).</summary>
    public static async Task WaitForReviewStepAsync(this IPage page, string formKey)
    {
        var form = page.Locator($"[data-test=step-form][data-form-key='{formKey}']");
        for (var i = 0; i < 40 && !await form.IsVisibleAsync(); i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await Expect(form).ToBeVisibleAsync();
    }

    public static async Task ReplyAsync(this IPage page, string text, string remedy)
    {
        await page.WaitForReviewStepAsync("review-reply");
        await page.FillAsync("#Reply_Text", text);
        await page.CheckAsync($"[data-test=remedy-{remedy}]");
        await page.ClickAsync("[data-test=reply-form] [data-test=submit]");
    }

    public static async Task<ILocator> ApprovalCardAsync(this IPage page, string externalId)
    {
        var card = page.Locator($"[data-test=offer-approval][data-external-id='{externalId}']");
        for (var i = 0; i < 20; i++)
        {
            await page.GotoAsync("Approvals");
            if (await card.IsVisibleAsync()) break;
            await Task.Delay(500);
        }
        await Expect(card).ToBeVisibleAsync();
        return card;
    }

    public static async Task ShootAsync(this IPage page, string name, bool phone = true)
    {
        await PortalPageTest.SaveScreenshotAsync(page, name + ".en");
        await page.SwitchLanguageAsync("zh-Hans");
        await PortalPageTest.SaveScreenshotAsync(page, name + ".zh-Hans");
        if (phone)
        {
            var size = page.ViewportSize!;
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            await PortalPageTest.SaveScreenshotAsync(page, name + ".zh-Hans.390");
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{name} scrolls sideways on a phone ({width}px)");
            await page.SetViewportSizeAsync(size.Width, size.Height);
        }
        await page.SwitchLanguageAsync("en");
    }

    public static readonly Regex Closed = new("Closed");
}
