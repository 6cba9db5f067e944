using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Complaints;

/// <summary>Hostile input through the real HTTP stack: refused per field with a clear message, and nothing stored.</summary>
public sealed class InputTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    [Fact]
    public async Task JsonIntake_Returns400ProblemNamingEachField_ForControlCharactersAndAnUnknownChoice()
    {
        using var handler = await StaffClient.SignInAsync(App.BaseUrl, "handler@demo.local");
        var phone = ComplaintSteps.NextPhone();

        var response = await handler.PostJsonAsync("api/complaints", new
        {
            contactName = "Li\u0000Wei", phone, orderReference = "ORD\u001b1", channel = "Carrier pigeon", severity = "7",
            account = "Line one\nline two\tand a tab are fine.",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["channel", "contactName", "orderReference", "severity"], errors.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Contains("control characters", errors.GetProperty("contactName")[0].GetString());
        Assert.Equal(0, await CountComplaintsAsync(phone));
    }

    [Fact]
    public Task IntakeForm_RefusesAnUnknownChoiceAndControlCharacters_ByField_AndSavesNothing() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        var phone = ComplaintSteps.NextPhone();
        foreach (var (culture, viewport) in new[] { ("en", (1280, 900)), ("zh-Hans", (1280, 900)), ("zh-Hans", (390, 844)) })
        {
            await page.SetViewportSizeAsync(viewport.Item1, viewport.Item2);
            await page.GotoAsync("Complaints/New");
            if (culture == "zh-Hans" && await page.Locator("html[lang=zh-Hans]").CountAsync() == 0)
                await page.ClickAsync("[data-nav=language] button[value=zh-Hans]");
            await page.FillAsync("#Input_Phone", phone);
            await page.FillAsync("#Input_Account", "It arrived broken.");
            // What a tampered form sends: a name with a BEL control character and a channel that is not one of the options.
            await page.EvaluateAsync("() => { document.querySelector('#Input_ContactName').value = 'Wang\\u0007Fang'; document.querySelector('#Input_Channel').options[0].value = 'Bogus'; document.querySelector('#Input_Channel').selectedIndex = 0; }");
            await page.ClickAsync("[data-test=review]");

            var channelError = page.Locator("[data-valmsg-for='Input.Channel']");
            var nameError = page.Locator("[data-valmsg-for='Input.ContactName']");
            if (culture == "en")
            {
                await Expect(channelError).ToHaveTextAsync("Choose a channel.");
                await Expect(nameError).ToHaveTextAsync("Contact name must not contain control characters.");
            }
            else
            {
                await Expect(channelError).ToHaveTextAsync("请选择渠道。");
                await Expect(nameError).ToContainTextAsync("不能包含控制字符");
            }
            await Expect(page.Locator("[data-test=read-back]")).ToHaveCountAsync(0);
            await SaveAsync(page, $"IntakeForm.{culture}.{viewport.Item1}");
        }
        Assert.Equal(0, await CountComplaintsAsync(phone));
    });

    [Fact]
    public Task ProposeForm_RefusesAnAmountDecimal18_2CannotHold_AndSavesNothing() => WithPageAsync(async page =>
    {
        await page.SignInAsync("handler@demo.local");
        await page.ReceivePhoneComplaintAsync();
        await page.VentAsync();
        await page.ApologiseAsync();
        await page.ProbeAsync();

        await page.ProposeAsync(79_228_162_514_264_337_593_543_950_335m);

        await Expect(page.Locator("[data-test=errors]")).ToContainTextAsync("Amount must be between -9999999999999999.99 and 9999999999999999.99.");
        await Expect(page.Locator("[data-test=step-form][data-form-key=complaint-propose]")).ToBeVisibleAsync();
        await SaveAsync(page, "ProposeForm.en");

        // Beyond what a decimal holds at all: the binder fails, and the message is the same.
        await page.ClickAsync("[data-nav=language] button[value=zh-Hans]");
        await page.ProposeAsync(1e20m);
        await Expect(page.Locator("[data-test=errors]")).ToContainTextAsync("金额必须在");
        await SaveAsync(page, "ProposeForm.zh-Hans");
        await page.SetViewportSizeAsync(390, 844);
        await SaveAsync(page, "ProposeForm.zh-Hans.390");
        var id = Guid.Parse(new Uri(page.Url).Query.Split("id=")[1].Split('&')[0]);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        Assert.Equal(0, await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM \"RemedyProposals\" WHERE \"ComplaintId\" = {id}").SingleAsync());
    });

    private async Task<int> CountComplaintsAsync(string phone)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        return await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM \"Complaints\" WHERE \"ContactPhone\" = {phone}").SingleAsync();
    }

    private static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(PortalPageTest.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalPageTest.ScreenshotFolder, $"InputTests.{name}.png"), FullPage = true });
    }
}
