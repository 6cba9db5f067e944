using Microsoft.Playwright;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Infrastructure;

public static class PageExtensions
{
    /// <summary>The password of every seeded demo user.</summary>
    public const string DemoPassword = Remediation.Portal.Infrastructure.SeedExtensions.DemoPassword;

    /// <summary>Signs in through the login page and waits until the app has left it.</summary>
    public static async Task LoginAsAsync(this IPage page, string email, string password = DemoPassword)
    {
        await page.SubmitLoginAsync(email, password);
        await Expect(page).Not.ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
    }

    /// <summary>Fills and submits the login form without waiting for success (for failure tests).</summary>
    public static async Task SubmitLoginAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
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
