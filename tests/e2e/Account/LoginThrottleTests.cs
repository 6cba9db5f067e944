using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Account;

/// <summary>Failed sign-ins are limited per client address and per account; unknown accounts cost the same work as known ones.</summary>
[Collection(PortalCollection.Name)]
public sealed class LoginThrottleTests(SecurityApp app, BrowserFixture browser, ITestOutputHelper output) : IClassFixture<SecurityApp>
{
    [Fact]
    public async Task FailedLogins_FromOneAddress_Get429WithRetryAfter()
    {
        using var client = new PortalHttp(app.BaseUrl);
        var from = new Dictionary<string, string> { ["X-Forwarded-For"] = SecurityApp.NextClientAddress() };
        for (var i = 0; i < SecurityApp.FailuresPerIp; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync($"nobody-{i}-{Guid.NewGuid():N}@test.local", "Wrong!2026", headers: from)).StatusCode);

        var refused = await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword, headers: from);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many failed sign-in attempts. Try again in 10 minutes.", await refused.Content.ReadAsStringAsync());
        // Another address is not affected.
        var other = new Dictionary<string, string> { ["X-Forwarded-For"] = SecurityApp.NextClientAddress() };
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword, headers: other)).StatusCode);
    }

    [Fact]
    public async Task FailedLogins_ForOneAccount_Get429_EvenWithTheRightPassword_FromAnotherAddress()
    {
        var email = await CreateUserAsync();
        using var client = new PortalHttp(app.BaseUrl);
        for (var i = 0; i < SecurityApp.FailuresPerAccount; i++)
        {
            var from = new Dictionary<string, string> { ["X-Forwarded-For"] = SecurityApp.NextClientAddress() };
            Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(email, "Wrong!2026", headers: from)).StatusCode);
        }

        var elsewhere = new Dictionary<string, string> { ["X-Forwarded-For"] = SecurityApp.NextClientAddress() };
        var refused = await client.LoginAsync(email, PageExtensions.DemoPassword, headers: elsewhere);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task UnknownAccount_VerifiesAPassword_LikeAKnownAccount()
    {
        using var client = new PortalHttp(app.BaseUrl);
        var from = new Dictionary<string, string> { ["X-Forwarded-For"] = SecurityApp.NextClientAddress() };

        var before = app.Hasher.Verifications;
        await client.LoginAsync(await CreateUserAsync(), "Wrong!2026", headers: from);
        var known = app.Hasher.Verifications - before;

        before = app.Hasher.Verifications;
        await client.LoginAsync($"nobody-{Guid.NewGuid():N}@test.local", "Wrong!2026", headers: from);
        var unknown = app.Hasher.Verifications - before;

        Assert.Equal(1, known);
        Assert.Equal(known, unknown);
    }

    [Theory]
    [InlineData("en", 1280, 800, "Too many failed sign-in attempts. Try again in 10 minutes.")]
    [InlineData("zh-Hans", 1280, 800, "登录失败次数过多，请在 10 分钟后重试。")]
    [InlineData("zh-Hans", 390, 844, "登录失败次数过多，请在 10 分钟后重试。")]
    [InlineData("en", 390, 844, "Too many failed sign-in attempts. Try again in 10 minutes.")]
    public async Task ThrottledLoginPage_ShowsTheLocalizedMessage(string language, int width, int height, string message)
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = SecurityApp.NextClientAddress() },
        });
        var page = await context.NewPageAsync();
        var name = $"{nameof(LoginThrottleTests)}.Throttled.{language}.{width}x{height}";
        try
        {
            await page.GotoAsync("Account/Login");
            await page.SwitchLanguageAsync(language);
            var email = $"nobody-{Guid.NewGuid():N}@test.local";
            for (var i = 0; i < SecurityApp.FailuresPerAccount; i++) await page.SubmitLoginAsync(email, "Wrong!2026");

            await page.SubmitLoginAsync(email, "Wrong!2026");

            await Expect(page.Locator("[data-test=login-error]")).ToContainTextAsync(message);
            await PortalPageTest.SaveScreenshotAsync(page, name);
        }
        catch
        {
            output.WriteLine($"Screenshot: {await PortalPageTest.SaveScreenshotAsync(page, name + ".failed")}");
            throw;
        }
    }

    private async Task<string> CreateUserAsync()
    {
        var email = $"throttle-{Guid.NewGuid():N}@test.local";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True((await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, DisplayName = "throttle" }, PageExtensions.DemoPassword)).Succeeded);
        return email;
    }
}
