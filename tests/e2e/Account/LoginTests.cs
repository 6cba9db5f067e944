using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Account;

public sealed class LoginTests(PortalFixture portal, BrowserFixture browser, ITestOutputHelper output)
    : PortalPageTest(portal, browser, output)
{
    [Fact]
    public Task Anonymous_IsSentToTheLoginPage() => WithPageAsync(async page =>
    {
        await page.GotoAsync("");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login\\?ReturnUrl=%2F$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.Empty(await page.NavItemsAsync());
    });

    [Theory]
    [InlineData("handler@demo.local", "queue,follow-ups,cases,reviews,new-complaint", "Handler")]
    [InlineData("supervisor@demo.local", "queue,follow-ups,cases,reviews,team,work-orders,approvals", "Supervisor")]
    [InlineData("approver@demo.local", "cases,approvals", "Approver")]
    [InlineData("admin@demo.local", "cases,team,users,workflows,instances,incidents,replies,authority,audit,hangfire", "Admin")]
    [InlineData("all@demo.local", "queue,follow-ups,cases,reviews,new-complaint,team,work-orders,approvals,users,workflows,instances,incidents,replies,authority,audit,hangfire", "Handler,Supervisor,Approver,Admin")]
    public Task DemoUser_SeesTheNavbarOfTheirRoles(string email, string navItems, string roles) => WithPageAsync(async page =>
    {
        await page.LoginAsAsync(email);

        Assert.Equal(navItems.Split(','), await page.NavItemsAsync());
        await Expect(page.Locator("[data-nav=user]")).ToHaveTextAsync(email);
        Assert.Equal(roles.Split(','), await page.EvalOnSelectorAllAsync<string[]>("[data-role]", "b => b.map(x => x.dataset.role)"));
    }, variant: email);

    [Fact]
    public Task WrongPassword_ShowsAnError_AndDoesNotSignIn() => WithPageAsync(async page =>
    {
        await page.SubmitLoginAsync("handler@demo.local", "not-the-password");

        await Expect(page.Locator("[data-test=login-error]")).ToContainTextAsync("Invalid e-mail or password.");
        await page.GotoAsync("");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    });

    [Fact]
    public Task EmptyForm_NamesEachMissingField() => WithPageAsync(async page =>
    {
        await page.SubmitLoginAsync("", "");

        await Expect(page.Locator("[data-valmsg-for='Input.Email']")).ToHaveTextAsync("The E-mail field is required.");
        await Expect(page.Locator("[data-valmsg-for='Input.Password']")).ToHaveTextAsync("The Password field is required.");
    });

    [Fact]
    public Task FiveWrongPasswords_LockTheAccount_EvenForTheRightPassword() => WithPageAsync(async page =>
    {
        var email = await CreateUserAsync("lockout");
        for (var attempt = 0; attempt < 5; attempt++) await page.SubmitLoginAsync(email, "Wrong!2026");

        await page.SubmitLoginAsync(email, PageExtensions.DemoPassword);

        await Expect(page.Locator("[data-test=login-error]")).ToContainTextAsync("locked");
        Assert.True(await AuditedAsync(AuditEvents.LockedOut, email));
        Assert.True(await AuditedAsync(AuditEvents.LoginFailed, email));
    });

    [Fact]
    public Task DisabledUser_CannotSignIn() => WithPageAsync(async page =>
    {
        var email = await CreateUserAsync("disabled", disabled: true);

        await page.SubmitLoginAsync(email, PageExtensions.DemoPassword);

        await Expect(page.Locator("[data-test=login-error]")).ToContainTextAsync("Invalid e-mail or password.");
    });

    [Fact]
    public Task SignOut_ReturnsToTheLoginPage_AndEndsTheSession() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");

        await page.LogoutAsync();
        await page.GotoAsync("Queue");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    });

    [Fact]
    public Task ReturnUrl_WithChineseCharacters_IsWhereTheUserLands() => WithPageAsync(async page =>
    {
        await page.GotoAsync("Account/Login?ReturnUrl=" + Uri.EscapeDataString("/Queue?Q=王"));

        await page.LoginAsAsync("handler@demo.local", gotoLoginPage: false);

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Queue\\?Q=(%E7%8E%8B|王)$"));
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
    });

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task ReturnUrl_ToAnotherSite_LandsOnTheHomePage(string returnUrl)
    {
        using var client = new PortalHttp(Portal.BaseUrl);

        var response = await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword, returnUrl);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("en", 1280, 800)]
    [InlineData("zh-Hans", 1280, 800)]
    [InlineData("en", 390, 844)]
    [InlineData("zh-Hans", 390, 844)]
    public Task LoginPage_Screenshots(string language, int width, int height) => WithPageAsync(async page =>
    {
        await page.GotoAsync("Account/Login");
        await page.SwitchLanguageAsync(language);

        await Expect(page.Locator("h1")).ToHaveTextAsync(language == "en" ? "Sign in" : "登录");
        await SaveScreenshotAsync(page, $"{nameof(LoginTests)}.LoginPage.{language}.{width}x{height}");
    }, new Microsoft.Playwright.ViewportSize { Width = width, Height = height }, $"{language}.{width}x{height}");

    private async Task<string> CreateUserAsync(string prefix, bool disabled = false)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@test.local";
        await using var scope = Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = prefix, IsDisabled = disabled };
        Assert.True((await users.CreateAsync(user, PageExtensions.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Handler)).Succeeded);
        return email;
    }

    private async Task<bool> AuditedAsync(string auditEvent, string userName)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        return await db.Set<AuditEntry>().AnyAsync(e => e.Event == auditEvent && e.UserName == userName);
    }
}
