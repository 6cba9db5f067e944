using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Remediation.E2ETests.Reviews;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Admin.Authority;

/// <summary>An app of its own: these tests change the authority limits and the approval matrix that other tests rely on.</summary>
public sealed class AuthorityApp : PortalFixture;

/// <summary>/Admin/Authority: limits and the approval matrix are validated, audited and bind the next proposal or offer.</summary>
public sealed class AuthorityTests(AuthorityApp app, BrowserFixture browser, ITestOutputHelper output)
    : PortalPageTest(app, browser, output), IClassFixture<AuthorityApp>
{
    [Fact]
    public Task ChangedHandlerLimit_AppliesToTheNextProposal() => WithPageAsync(async page =>
    {
        // all@ is Handler and Admin: one page changes the limit and proposes.
        await page.SignInAsync("all@demo.local");
        await page.ReceivePhoneComplaintAsync();
        await page.VentAsync();
        await page.ApologiseAsync();
        await page.ProbeAsync();
        await page.WaitForStepAsync("complaint-propose");
        var caseUrl = page.Url;

        await page.GotoAsync("Admin/Authority");
        var handlerCny = page.Locator("[data-test=limit][data-applies-to=Handler][data-currency=CNY]");
        await Expect(handlerCny.Locator("[data-test=max]")).ToHaveValueAsync("200.00"); // the seeded default: 100 CNY would be within authority
        await page.ShootAsync("AuthorityPage");

        // Refused with the reason, nothing changed.
        await handlerCny.Locator("[data-test=max]").FillAsync("0");
        await handlerCny.Locator("[data-test=save-limit]").ClickAsync();
        await Expect(handlerCny.Locator("[data-test=error]")).ToHaveTextAsync("Maximum amount must be greater than zero.");
        await page.GotoAsync("Admin/Authority");
        await Expect(handlerCny.Locator("[data-test=max]")).ToHaveValueAsync("200.00");

        await handlerCny.Locator("[data-test=max]").FillAsync("50");
        await handlerCny.Locator("[data-test=save-limit]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToHaveTextAsync("The limit was saved.");
        await Expect(handlerCny.Locator("[data-test=max]")).ToHaveValueAsync("50.00");

        await page.GotoAsync(caseUrl);
        await page.ProposeAsync(100m);
        await Expect(page.Locator("[data-test=awaiting-approval]")).ToBeVisibleAsync();

        await page.GotoAsync("Admin/Audit?f.Event=AuthorityLimitChanged");
        await Expect(page.Locator("[data-test=audit-row][data-event=AuthorityLimitChanged]").First).ToContainTextAsync("Handler CNY: 200.00 -> 50.00");
    });

    [Fact]
    public Task UserLimit_IsAdded_AndAMissingScopeIsRefused() => WithPageAsync(async page =>
    {
        await page.SignInAsync("admin@demo.local");
        await page.GotoAsync("Admin/Authority");
        var form = page.Locator("[data-test=add-limit]");

        await form.Locator("[data-test=amount]").FillAsync("80");
        await form.Locator("[data-test=add]").ClickAsync();
        await Expect(form.Locator("[data-test=error]")).ToHaveTextAsync("Choose a role or a user the limit applies to.");

        await form.Locator("[data-test=applies-to]").SelectOptionAsync(new SelectOptionValue { Label = "Demo Handler (handler@demo.local)" });
        await form.Locator("[data-test=currency]").SelectOptionAsync("EUR");
        await form.Locator("[data-test=amount]").FillAsync("80");
        await form.Locator("[data-test=add]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToHaveTextAsync("The limit was saved.");
        var row = page.Locator("[data-test=limit][data-currency=EUR]", new() { HasText = "Demo Handler" });
        await Expect(row.Locator("[data-test=max]")).ToHaveValueAsync("80.00");

        await row.Locator("[data-test=delete-limit]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToHaveTextAsync("The limit was removed.");
        await Expect(row).ToHaveCountAsync(0);

        // A role the form does not offer (a crafted request) is refused and logged.
        var eur = page.Locator("[data-test=matrix-currency][data-currency=EUR]");
        await eur.Locator("[data-test=role]").First.EvaluateAsync("s => s.add(new Option('Root', 'Root', true, true))");
        await eur.Locator("[data-test=save-matrix]").ClickAsync();
        await Expect(eur.Locator("[data-test=error]")).ToHaveTextAsync("Level 1: Root is not a role of the portal.");
        await page.GotoAsync("Admin/Audit?f.Event=RejectedInput");
        await Expect(page.Locator("[data-test=audit-row][data-event=RejectedInput]").First).ToContainTextAsync("approval level with unknown role 'Root'");
    });

    [Fact]
    public Task ChangedApprovalMatrix_AppliesToTheNextOffer() => WithPageAsync(async page =>
    {
        await page.SignInAsync("all@demo.local");
        await page.GotoAsync("Admin/Authority");
        var cny = page.Locator("[data-test=matrix-currency][data-currency=CNY]");
        var rows = cny.Locator("[data-test=level-row]");

        // Levels out of order are refused, naming the level; nothing changes.
        await rows.Nth(0).Locator("[data-test=above]").FillAsync("500");
        await cny.Locator("[data-test=save-matrix]").ClickAsync();
        await Expect(cny.Locator("[data-test=error]")).ToHaveTextAsync(
            "Level 2: the threshold 200.00 must be higher than level 1's (500.00); list the levels from the lowest threshold up.");
        await page.GotoAsync("Admin/Authority");
        await Expect(rows.Nth(0).Locator("[data-test=above]")).ToHaveValueAsync("0.00");
        await Expect(rows.Nth(1).Locator("[data-test=above]")).ToHaveValueAsync("200.00");

        // Offers above 50 CNY now need a supervisor too.
        await rows.Nth(1).Locator("[data-test=above]").FillAsync("50");
        await cny.Locator("[data-test=save-matrix]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToHaveTextAsync("The approval levels for CNY were saved.");
        await Expect(rows.Nth(1).Locator("[data-test=above]")).ToHaveValueAsync("50.00");

        var id = await page.PostReviewAsync("matrix-1", 1, "水壶漏水,非常失望。");
        await page.OpenReviewAsync(id);
        // The review reply's picker: a demo template filled with the buyer's name and the order reference.
        await page.WaitForReviewStepAsync("review-reply");
        var picker = page.Locator("#Reply_Text-canned");
        await picker.SelectOptionAsync(new SelectOptionValue { Label = "Sorry, we will contact you" });
        await Expect(page.Locator("#Reply_Text")).ToHaveValueAsync(
            "Dear 王芳, thank you for your review, and we're sorry the product let you down. Our service team will contact you about order SO-matrix-1 to put it right. Demo All Roles");
        await page.CheckAsync("[data-test=remedy-offer]");
        await page.ClickAsync("[data-test=reply-form] [data-test=submit]");

        await page.WaitForReviewStepAsync("review-offer");
        await page.FillAsync("[data-test=amount]", "100");
        await page.FillAsync("[data-test=currency]", "CNY");
        await page.FillAsync("[data-test=justification]", "The kettle leaked on first use.");
        await page.ClickAsync("[data-test=offer-form] [data-test=submit]");
        await Expect(page.Locator("[data-test=offer]").First).ToContainTextAsync("100.00 CNY");
        await Expect(page.Locator("[data-test=offer] [data-test=level]")).ToHaveCountAsync(2); // with the seeded matrix: one level

        await page.GotoAsync("Admin/Audit?f.Event=ApprovalMatrixChanged");
        await Expect(page.Locator("[data-test=audit-row][data-event=ApprovalMatrixChanged]").First)
            .ToContainTextAsync("CNY: [above 0.00: Approver, above 200.00: Supervisor] -> [above 0.00: Approver, above 50.00: Supervisor]");
    });
}
