using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

/// <summary>
/// A second portal for the complaint tests, with service levels shortened by configuration (callback after 2 s, a Diamond customer's Vent after 3 s) and the
/// development payment gateway confirming after 3 s.
/// It runs inside the Portal collection, so it starts after (never concurrently with) the shared app: Hangfire's
/// configuration is process-global.
/// </summary>
public sealed class ComplaintsApp : PortalFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } =
        new Dictionary<string, string>
        {
            ["ServiceLevels:Standard:CallbackDelay"] = "00:00:02",
            // The development gateway confirms a payment 3 s after taking it: long enough to see the case wait for it.
            ["Payments:Development:ConfirmAfter"] = "00:00:03",
            // A Diamond customer's Vent step is late after 3 s: the team view and escalation tests need an overdue step.
            ["ServiceLevels:Vip:Diamond:Vent"] = "00:00:03",
        };
}

/// <summary>Base for the complaint browser tests: pages on <see cref="ComplaintsApp"/>, a screenshot on failure.</summary>
[Collection(PortalCollection.Name)]
public abstract class ComplaintsPageTest(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : IClassFixture<ComplaintsApp>
{
    protected ComplaintsApp App { get; } = app;

    protected async Task<IBrowserContext> NewContextAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    protected async Task WithPagesAsync(int count, Func<IReadOnlyList<IPage>, Task> body, [CallerMemberName] string testName = "")
    {
        var contexts = new List<IBrowserContext>();
        var pages = new List<IPage>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var context = await NewContextAsync();
                contexts.Add(context);
                pages.Add(await context.NewPageAsync());
            }
            await body(pages);
        }
        catch
        {
            Directory.CreateDirectory(PortalPageTest.ScreenshotFolder);
            for (var i = 0; i < pages.Count; i++)
            {
                var file = Path.Combine(PortalPageTest.ScreenshotFolder, $"{GetType().Name}.{testName}.{i}.failed.png");
                try { await pages[i].ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true }); } catch (PlaywrightException) { }
                output.WriteLine($"Screenshot: {file} (at {pages[i].Url})");
            }
            throw;
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }

    protected Task WithPageAsync(Func<IPage, Task> body, [CallerMemberName] string testName = "") =>
        WithPagesAsync(1, pages => body(pages[0]), testName);
}

/// <summary>The complaint screens driven as a handler or approver would.</summary>
public static class ComplaintSteps
{
    private static int phoneCounter = 100;

    public static string NextPhone() => $"1380013{Interlocked.Increment(ref phoneCounter):D4}";

    /// <summary>Phone intake with read-back; returns the complaint reference, leaving the page on the case.</summary>
    public static async Task<string> ReceivePhoneComplaintAsync(this IPage page, string? phone = null, string order = "ORD-7", string? email = null)
    {
        await page.GotoAsync("Complaints/New");
        await page.FillAsync("#Input_ContactName", "Wang Fang");
        await page.FillAsync("#Input_Phone", phone ?? NextPhone());
        if (email is not null) await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Goods", "Rice cooker");
        await page.FillAsync("#Input_OrderReference", order);
        await page.FillAsync("#Input_PickupAddress", "1 Pickup Road");
        await page.FillAsync("#Input_DeliveryAddress", "2 Delivery Street");
        await page.FillAsync("#Input_Account", "The rice cooker arrived broken and the courier was rude.");
        await page.ClickAsync("[data-test=review]");
        await Expect(page.Locator("[data-test=read-back-list] [data-field=ContactName]")).ToHaveTextAsync("Wang Fang");
        await page.ClickAsync("[data-test=confirm]");
        await Expect(page).ToHaveURLAsync(new Regex("/Complaints/Case"));
        return (await page.Locator("[data-test=reference]").TextContentAsync())!.Trim();
    }

    /// <summary>Reloads the case page until the step with <paramref name="formKey"/> is shown (service tasks and timers run in the background).</summary>
    public static async Task WaitForStepAsync(this IPage page, string formKey, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (await page.Locator($"[data-test=step-form][data-form-key={formKey}]").CountAsync() == 0)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Step {formKey} did not appear on {page.Url}.");
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }

    public static async Task VentAsync(this IPage page, string account = "It arrived broken; I waited two weeks.")
    {
        await page.WaitForStepAsync("complaint-vent");
        await page.FillAsync("#Input_Account", account);
        await page.SelectOptionAsync("#Input_EmotionalState", "Angry");
        await page.ClickAsync("[data-test=submit-step]");
    }

    public static async Task ApologiseAsync(this IPage page)
    {
        await page.WaitForStepAsync("complaint-apologise");
        await page.CheckAsync("#Input_ApologyGiven");
        await page.CheckAsync("#Input_ThanksGiven");
        await page.FillAsync("#Input_WordsUsed", "很抱歉我们让您感到失望了,谢谢您告诉我们。");
        await page.ClickAsync("[data-test=submit-step]");
    }

    public static async Task ProbeAsync(this IPage page)
    {
        await page.WaitForStepAsync("complaint-probe");
        await page.FillAsync("#Input_WhatHappened", "Cooker cracked in transit");
        await page.FillAsync("#Input_Product", "Rice cooker RC-1");
        await page.FillAsync("#Input_DesiredResolution", "Refund");
        await page.SelectOptionAsync("#Input_ReturningCustomer", "true");
        await page.ClickAsync("[data-test=submit-step]");
    }

    public static async Task ProposeAsync(this IPage page, decimal amount, string type = "Refund")
    {
        await page.WaitForStepAsync("complaint-propose");
        await page.SelectOptionAsync("#Input_RemedyType", type);
        await page.FillAsync("#Input_Amount", amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#Input_Currency", "CNY");
        await page.FillAsync("#Input_Justification", "Goods damaged in transit; partial refund.");
        await page.ClickAsync("[data-test=submit-step]");
    }

    public static async Task ConfirmAsync(this IPage page, bool accepted, string? reason = null)
    {
        await page.WaitForStepAsync("complaint-confirm");
        await page.CheckAsync(accepted ? "#accepted-yes" : "#accepted-no");
        if (reason is not null) await page.FillAsync("#Input_Reason", reason);
        await page.ClickAsync("[data-test=submit-step]");
    }

    public static async Task FollowUpAsync(this IPage page, int satisfaction)
    {
        await page.WaitForStepAsync("complaint-follow-up");
        await page.SelectOptionAsync("#Input_FollowUpMethod", "Phone");
        await page.SelectOptionAsync("#Input_Satisfaction", satisfaction.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#Input_Comment", "Customer happy with the refund.");
        await page.ClickAsync("[data-test=submit-step]");
    }

    /// <summary>Opens <paramref name="url"/> and reloads it (up to 15 s) until <paramref name="locator"/> shows: work appears in the background.</summary>
    public static async Task ReloadUntilVisibleAsync(this IPage page, string url, ILocator locator)
    {
        await page.GotoAsync(url);
        for (var i = 0; i < 30 && await locator.CountAsync() == 0; i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await Expect(locator).ToBeVisibleAsync();
    }

    /// <summary>Signs in on the given app (absolute URL) and waits until the login page is left.</summary>
    public static async Task SignInAsync(this IPage page, string email)
    {
        await page.GotoAsync("Account/Login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", PageExtensions.DemoPassword);
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page).Not.ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
    }
}
