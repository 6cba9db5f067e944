using Microsoft.Playwright;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Infrastructure;

public static class PageExtensions
{
    /// <summary>The password of every seeded demo user.</summary>
    public const string DemoPassword = Remediation.Portal.Infrastructure.SeedExtensions.DemoPassword;

    /// <summary>Signs in through the login page and waits until the app has left it.</summary>
    public static async Task LoginAsAsync(this IPage page, string email, string password = DemoPassword, bool gotoLoginPage = true)
    {
        await page.SubmitLoginAsync(email, password, gotoLoginPage);
        await Expect(page).Not.ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
    }

    /// <summary>Fills and submits the login form without waiting for success (for failure tests).</summary>
    public static async Task SubmitLoginAsync(this IPage page, string email, string password, bool gotoLoginPage = true)
    {
        if (gotoLoginPage) await page.GotoAsync("Account/Login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        // Waits for the server's answer to the POST (the attempt is then recorded) rather than for a load state: a
        // load-state wait right after the click sometimes missed the new document's event and timed out.
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("main form button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Switches the language with the navbar buttons (opening the collapsed menu on a phone), staying on the page.</summary>
    public static async Task SwitchLanguageAsync(this IPage page, string culture)
    {
        var toggler = page.Locator("button.navbar-toggler");
        if (await toggler.IsVisibleAsync()) await toggler.ClickAsync();
        await page.ClickAsync($"[data-nav=language] button[value={culture}]");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture == "en" ? "en" : "zh-Hans");
    }

    /// <summary>Signs out with the navbar button.</summary>
    public static async Task LogoutAsync(this IPage page)
    {
        await page.ClickAsync("form[action='/Account/Logout'] button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
    }

    /// <summary>The navbar entries (data-nav names) that are shown to the current user.</summary>
    public static async Task<IReadOnlyList<string>> NavItemsAsync(this IPage page) =>
        await page.EvalOnSelectorAllAsync<string[]>("ul.navbar-nav [data-nav]", "links => links.map(l => l.dataset.nav)");
}
