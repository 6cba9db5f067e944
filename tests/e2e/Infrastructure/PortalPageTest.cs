using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.E2ETests.Infrastructure;

/// <summary>Base for browser tests: a fresh browser context per test and a screenshot when the test fails.</summary>
[Collection(PortalCollection.Name)]
public abstract class PortalPageTest(PortalFixture portal, BrowserFixture browser, ITestOutputHelper output)
{
    protected PortalFixture Portal { get; } = portal;

    /// <summary>Where failure screenshots (and deliberate ones) go: bin/.../screenshots.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>
    /// Runs <paramref name="body"/> on a new page in a new context (English, 1280x800 unless given). If it throws,
    /// saves a full-page screenshot named after the test, then rethrows.
    /// </summary>
    protected async Task WithPageAsync(Func<IPage, Task> body, ViewportSize? viewport = null, string? variant = null,
        [CallerMemberName] string testName = "")
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Portal.BaseUrl.ToString(),
            Locale = "en-US",
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000); // generous: CI has 2 cores and the first hit of a page compiles it
        var page = await context.NewPageAsync();
        try
        {
            await body(page);
        }
        catch
        {
            var file = await SaveScreenshotAsync(page, $"{GetType().Name}.{testName}{(variant is null ? "" : "." + variant)}.failed");
            output.WriteLine($"Screenshot of the failure: {file} (at {page.Url})");
            throw;
        }
    }

    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var file = Path.Combine(ScreenshotFolder, string.Concat(name.Split(Path.GetInvalidFileNameChars())) + ".png");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        }
        catch (PlaywrightException)
        {
            // The page may be gone (crash, closed context); the original failure matters more than the picture.
        }
        return file;
    }
}
