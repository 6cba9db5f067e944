using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Shell;

public sealed class ShellTests(PortalFixture portal, BrowserFixture browser, ITestOutputHelper output)
    : PortalPageTest(portal, browser, output)
{
    [Fact]
    public Task SwitchingToChinese_ShowsChineseText_AndStaysOnThePage() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("handler@demo.local");
        await page.GotoAsync("Queue");

        await page.ClickAsync("[data-nav=language] button[value=zh-Hans]");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Queue$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("工作队列");
        await Expect(page.Locator("[data-nav=follow-ups]")).ToHaveTextAsync("回访");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        // Sent as UTF-8 text, not as character references (&#x5DE5;&#x4F5C;…), which would triple a Chinese page's size.
        var raw = await (await page.Context.APIRequest.GetAsync("Queue")).TextAsync();
        Assert.Contains("<h1 class=\"h3 mb-0\">工作队列</h1>", raw);
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex("&#x[4-9][0-9A-F]{3};"), raw);

        await page.ClickAsync("[data-nav=language] button[value=en]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Work queue");
    });

    [Fact]
    public Task LoginPage_CanBeSwitchedToChinese_BeforeSigningIn() => WithPageAsync(async page =>
    {
        await page.GotoAsync("Account/Login");

        await page.ClickAsync("[data-nav=language] button[value=zh-Hans]");

        await Expect(page.Locator("h1")).ToHaveTextAsync("登录");
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page.Locator("[data-valmsg-for='Input.Email']")).ToHaveTextAsync("请填写“电子邮箱”。");
    });

    [Theory]
    [InlineData("approver@demo.local", "Queue")]
    [InlineData("approver@demo.local", "WorkOrders")]
    [InlineData("handler@demo.local", "Approvals")]
    [InlineData("handler@demo.local", "Admin/Users")]
    public Task PagesOfOtherRoles_AreForbidden(string email, string path) => WithPageAsync(async page =>
    {
        await page.LoginAsAsync(email);

        var response = await page.GotoAsync(path);

        Assert.Equal(403, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Access denied");
    }, variant: $"{email}.{path.Replace('/', '-')}");

    [Fact]
    public async Task Healthz_ReportsTheDatabaseCheck_AsJson()
    {
        using var http = new HttpClient { BaseAddress = Portal.BaseUrl };

        var health = await http.GetFromJsonAsync<JsonElement>("healthz");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public Task HomePage_AtPhoneWidth_ShowsWhoIsSignedIn() => WithPageAsync(async page =>
    {
        await page.LoginAsAsync("all@demo.local");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Welcome, Demo All Roles");
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the home page scrolls sideways at 390 px");
        // Kept on purpose for a human look at the phone layout.
        await SaveScreenshotAsync(page, "home-phone-390");
    }, viewport: new ViewportSize { Width = 390, Height = 844 });
}
