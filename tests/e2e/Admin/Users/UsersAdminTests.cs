using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Portal.Data;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Admin.Users;

public sealed class UsersAdminTests(PortalFixture portal, BrowserFixture browser, ITestOutputHelper output)
    : PortalPageTest(portal, browser, output)
{
    [Fact]
    public Task Admin_CreatesAHandler_WhoCanThenSignIn() => WithPageAsync(async page =>
    {
        var email = $"new-{Guid.NewGuid():N}@test.local";
        await page.LoginAsAsync("admin@demo.local");
        await page.GotoAsync("Admin/Users/Create");

        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_DisplayName", "New Handler");
        await page.FillAsync("#Input_Password", "Welcome!2026");
        await page.FillAsync("#Input_ConfirmPassword", "Welcome!2026");
        await page.CheckAsync("#role-Handler");
        await page.ClickAsync("main form button[type=submit]");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Admin/Users$"));
        await Expect(page.Locator($"tr[data-user='{email}']")).ToContainTextAsync("Handler");
        await SaveScreenshotAsync(page, "Users.en");
        await page.SwitchLanguageAsync("zh-Hans");
        await Expect(page.Locator($"tr[data-user='{email}']")).ToContainTextAsync("经办人");
        await SaveScreenshotAsync(page, "Users.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "the users list scrolls sideways on a phone");
        await SaveScreenshotAsync(page, "Users.zh-Hans.phone");
        await page.SetViewportSizeAsync(1280, 800);
        await page.SwitchLanguageAsync("en");

        await page.LogoutAsync();
        await page.LoginAsAsync(email, "Welcome!2026");
        Assert.Equal(["queue", "follow-ups", "cases", "reviews", "new-complaint"], await page.NavItemsAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Welcome, New Handler");
    });

    [Fact]
    public Task CreateUser_WithBadInput_ShowsAMessageBesideEachField_AndCreatesNothing() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("admin@demo.local");
        await page.GotoAsync("Admin/Users/Create");

        await page.FillAsync("#Input_Email", "not-an-email");
        await page.FillAsync("#Input_Password", "short");
        await page.FillAsync("#Input_ConfirmPassword", "different");
        await page.ClickAsync("main form button[type=submit]");

        await Expect(page.Locator("[data-valmsg-for='Input.Email']")).ToHaveTextAsync("The E-mail field is not a valid e-mail address.");
        await Expect(page.Locator("[data-valmsg-for='Input.DisplayName']")).ToHaveTextAsync("The Display name field is required.");
        await Expect(page.Locator("[data-valmsg-for='Input.ConfirmPassword']")).ToHaveTextAsync("The passwords do not match.");

        await page.FillAsync("#Input_Email", "weak@test.local");
        await page.FillAsync("#Input_DisplayName", "Weak");
        await page.FillAsync("#Input_Password", "short");
        await page.FillAsync("#Input_ConfirmPassword", "short");
        await page.ClickAsync("main form button[type=submit]");

        await Expect(page.Locator("[data-valmsg-for='Input.Password']")).ToContainTextAsync("at least 8 characters");
        await page.GotoAsync("Admin/Users");
        await Expect(page.Locator("tr[data-user='weak@test.local']")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task CreateUser_WithATamperedRole_IsRefused_AndAudited() => WithPageAsync(async page =>
    {
        var email = $"tampered-{Guid.NewGuid():N}@test.local";
        await page.LoginAsAsync("admin@demo.local");
        await page.GotoAsync("Admin/Users/Create");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_DisplayName", "Tampered");
        await page.FillAsync("#Input_Password", "Welcome!2026");
        await page.FillAsync("#Input_ConfirmPassword", "Welcome!2026");
        await page.EvalOnSelectorAsync("#role-Admin", "box => { box.value = 'Root'; box.checked = true; }");

        await page.ClickAsync("main form button[type=submit]");

        await Expect(page.Locator("[data-valmsg-for='Input.Roles']")).ToHaveTextAsync("Unknown role: Root.");
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Event == AuditEvents.RejectedInput && e.UserName == "admin@demo.local"));
    });

    [Fact]
    public Task Admin_CannotDisableThemself() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("admin@demo.local");
        await page.GotoAsync("Admin/Users");
        await page.ClickAsync("tr[data-user='admin@demo.local'] a:has-text('Edit')");

        await page.CheckAsync("#Input_IsDisabled");
        await page.ClickAsync("main form button[type=submit]");

        await Expect(page.Locator("[data-valmsg-for='Input.IsDisabled']")).ToHaveTextAsync("You can't disable your own account.");
        await page.GotoAsync("Admin/Users");
        await Expect(page.Locator("tr[data-user='admin@demo.local']")).ToContainTextAsync("Active");
    });

    [Fact]
    public Task Admin_DisablesAUser_WhoThenCannotSignIn_AndResetsAPassword() => WithPageAsync(async page =>
    {
        var email = $"temp-{Guid.NewGuid():N}@test.local";
        await page.LoginAsAsync("admin@demo.local");
        await page.GotoAsync("Admin/Users/Create");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_DisplayName", "Temp");
        await page.FillAsync("#Input_Password", "Welcome!2026");
        await page.FillAsync("#Input_ConfirmPassword", "Welcome!2026");
        await page.ClickAsync("main form button[type=submit]");

        await page.ClickAsync($"tr[data-user='{email}'] a:has-text('Reset password')");
        await page.FillAsync("#Input_NewPassword", "Changed!2026");
        await page.FillAsync("#Input_ConfirmPassword", "Changed!2026");
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("was reset");

        await page.ClickAsync($"tr[data-user='{email}'] a:has-text('Edit')");
        await page.CheckAsync("#Input_IsDisabled");
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page.Locator($"tr[data-user='{email}']")).ToContainTextAsync("Disabled");

        await page.LogoutAsync();
        await page.SubmitLoginAsync(email, "Changed!2026");
        await Expect(page.Locator("[data-test=login-error]")).ToContainTextAsync("Invalid e-mail or password.");
    });
}
