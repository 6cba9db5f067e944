using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Admin.Studio;

/// <summary>A portal of its own: these tests publish a second version of the shipped complaint process.</summary>
public sealed class MigrationApp : PortalFixture;

/// <summary>Migration of running complaints to a new version of the complaint process, and instance modification, in the studio.</summary>
[Collection(PortalCollection.Name)]
public sealed class MigrationTests(MigrationApp app, BrowserFixture browser, ITestOutputHelper output) : IClassFixture<MigrationApp>
{
    private const string Process = "complaint-handling";
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    private async Task<IPage> NewPageAsync(List<IBrowserContext> contexts)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Version 2 of the shipped process: "Let the customer vent" (Task_Vent) is removed — Acknowledge leads straight to
    /// Apologise — and Apologise is renamed.
    /// </summary>
    private static string VersionTwo(string shipped)
    {
        var doc = XDocument.Parse(shipped);
        var removed = new HashSet<string> { "Task_Vent", "Boundary_VentSla", "Flow_VentToApologise", "Flow_VentOverdue" };
        doc.Descendants().Where(e => removed.Contains((string?)e.Attribute("id") ?? "") || removed.Contains((string?)e.Attribute("bpmnElement") ?? "")).Remove();
        doc.Descendants(Bpmn + "incoming").Concat(doc.Descendants(Bpmn + "outgoing")).Where(e => removed.Contains(e.Value)).Remove();
        doc.Descendants(Bpmn + "sequenceFlow").Single(f => (string?)f.Attribute("id") == "Flow_AcknowledgeToVent").SetAttributeValue("targetRef", "Task_Apologise");
        var apologise = doc.Descendants(Bpmn + "userTask").Single(t => (string?)t.Attribute("id") == "Task_Apologise");
        apologise.SetAttributeValue("name", "Apologise and thank sincerely");
        apologise.AddFirst(new XElement(Bpmn + "incoming", "Flow_AcknowledgeToVent"));
        return doc.ToString();
    }

    private async Task PublishVersionTwoAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        var shipped = await db.Set<WorkflowDefinition>().Where(d => d.ProcessId == Process && d.Version == 1).Select(d => d.Xml).SingleAsync();
        var definitions = app.Services.GetRequiredService<IWorkflowDefinitions>();
        var draft = await definitions.SaveDraftAsync(VersionTwo(shipped), "admin@demo.local", null);
        Assert.True(draft.IsOk, draft.Message + string.Join("; ", draft.Problems));
        var published = await definitions.PublishAsync(Process, "admin@demo.local", draft.Value!.Hash);
        Assert.True(published.IsOk, published.Message + string.Join("; ", published.Problems));
        Assert.Equal(2, published.Value!.Version);
    }

    private async Task<Guid> InstanceOfAsync(string reference)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        return await db.Set<WorkflowInstance>().Where(i => i.BusinessKey == reference && i.ProcessId == Process).Select(i => i.Id).SingleAsync();
    }

    private static async Task ShootAsync(IPage page, string name, string culture, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{name} scrolls sideways at {width}px ({scrollWidth}px)");
        await PortalPageTest.SaveScreenshotAsync(page, $"Studio.{name}.{culture}.{width}");
    }

    /// <summary>English and Chinese at 1280 px and Chinese at 390×844: opens <paramref name="url"/> and runs <paramref name="show"/> each time.</summary>
    private static async Task ShootAllAsync(IPage page, string name, string url, Func<Task> show)
    {
        foreach (var (culture, width, height) in new[] { ("en", 1280, 900), ("zh-Hans", 1280, 900), ("zh-Hans", 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync(url);
            if (await page.Locator("html").GetAttributeAsync("lang") != (culture == "en" ? "en" : "zh-Hans")) await page.SwitchLanguageAsync(culture);
            await show();
            await ShootAsync(page, name, culture, width);
        }
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(url);
        await page.SwitchLanguageAsync("en");
    }

    [Fact]
    public async Task Admin_DryRunsAndMigratesComplaintsToVersionTwo_AndModifiesAnInstance()
    {
        var contexts = new List<IBrowserContext>();
        try
        {
            // Given two complaints on version 1: one waits at Vent, the other has been vented and waits at Apologise.
            var handler = await NewPageAsync(contexts);
            await handler.SignInAsync("all@demo.local");
            var atVent = await handler.ReceivePhoneComplaintAsync();
            await handler.WaitForStepAsync("complaint-vent");
            var atVentCase = handler.Url;
            var vented = await handler.ReceivePhoneComplaintAsync();
            await handler.VentAsync();
            await handler.WaitForStepAsync("complaint-apologise");
            var ventedId = await InstanceOfAsync(vented);
            var atVentId = await InstanceOfAsync(atVent);

            // When an admin publishes version 2 (Vent removed, Apologise renamed) and opens the migration page from Workflows.
            await PublishVersionTwoAsync();
            var page = await NewPageAsync(contexts);
            await page.SignInAsync("admin@demo.local");
            await page.GotoAsync("Admin/Workflows");
            await page.ClickAsync($"[data-process={Process}] [data-test=migrate]");
            await Expect(page.Locator("[data-test=from]")).ToHaveValueAsync("1");
            await Expect(page.Locator("[data-test=to]")).ToHaveValueAsync("2");
            var url = page.Url;

            // The mapping is prefilled by id: Vent has no counterpart, Apologise maps to itself (shown with its new name).
            await Expect(page.Locator("[data-test=mapping-row][data-element=Task_Vent] [data-test=target]")).ToHaveValueAsync("");
            var apologise = page.Locator("[data-test=mapping-row][data-element=Task_Apologise] [data-test=target]");
            await Expect(apologise).ToHaveValueAsync("Task_Apologise");
            await Expect(apologise.Locator("option:checked")).ToHaveTextAsync("Apologise and thank sincerely (Task_Apologise)");

            // The dry run: the complaint at Vent is not migratable, with the reason; the other is.
            await page.ClickAsync("[data-test=dry-run]");
            var refused = page.Locator($"[data-test=check][data-instance='{atVentId}']");
            await Expect(refused).ToHaveAttributeAsync("data-migratable", "false");
            await Expect(refused.Locator("[data-test=reason]")).ToHaveTextAsync(
                "Waiting at Let the customer vent (Task_Vent), which version 2 does not have and no mapping names.");
            await Expect(page.Locator($"[data-test=check][data-instance='{ventedId}']")).ToHaveAttributeAsync("data-migratable", "true");
            await ShootAllAsync(page, "Migration", url, async () =>
            {
                await page.ClickAsync("[data-test=dry-run]");
                await Expect(page.Locator("[data-test=check]")).ToHaveCountAsync(2);
            });

            // The migration runs in batches and reports what moved and what did not.
            await page.ClickAsync("[data-test=migrate]");
            await Expect(page.Locator("[data-test=progress][data-done=true]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-test=progress-text]")).ToContainTextAsync("1 of 2 instance(s) migrated, 1 not migrated.");
            await Expect(page.Locator("[data-test=mapping-row]")).ToHaveCountAsync(1); // only Vent's instance is left on version 1
            await ShootAsync(page, "MigrationDone", "en", 1280);

            // A handler cannot open the page; a mapping naming an element version 2 does not have is refused, nothing moves.
            var plain = await NewPageAsync(contexts);
            await plain.SignInAsync("handler@demo.local");
            await plain.GotoAsync("Admin/Workflows/Migrate");
            await Expect(plain.Locator("main h1")).ToHaveTextAsync("Access denied");
            await page.EvaluateAsync(@"() => { const s = document.querySelector('[data-element=Task_Vent] [data-test=target]');
                s.add(new Option('forged', 'Task_Nowhere')); s.value = 'Task_Nowhere'; }");
            await page.ClickAsync("[data-test=dry-run]");
            await Expect(page.Locator("[data-test=error]")).ToHaveTextAsync("The mapping names an element the versions do not have; choose from the lists.");
            await Expect(page.Locator("[data-test=check]")).ToHaveCountAsync(0);

            // Then the vented complaint runs on version 2 at the renamed Apologise; the other is untouched on version 1.
            await page.GotoAsync($"Admin/Instances/{ventedId}");
            await Expect(page.Locator("h1")).ToContainTextAsync($"{Process} v2");
            await Expect(page.Locator("[data-test=task][data-element=Task_Apologise]")).ToContainTextAsync("Apologise and thank sincerely");
            await Expect(page.Locator("[data-test=journal] [data-kind=Migrated]")).ToContainTextAsync("Migrated from version 1 to 2 by admin@demo.local.");
            await page.GotoAsync($"Admin/Instances/{atVentId}");
            await Expect(page.Locator("h1")).ToContainTextAsync($"{Process} v1");
            await Expect(page.Locator("[data-test=task][data-element=Task_Vent]")).ToBeVisibleAsync();

            // The admin moves the complaint left at Vent on to Apologise: a reason is required, the preview says what happens.
            var instanceUrl = page.Url;
            await page.SelectOptionAsync("[data-test=cancel-at]", "Task_Vent");
            await page.SelectOptionAsync("[data-test=start-at]", "Task_Apologise");
            await page.ClickAsync("[data-test=preview-modify]");
            await Expect(page.Locator("[data-test=modify-reason-error]")).ToContainTextAsync("The Reason field is required.");
            await Expect(page.Locator("[data-test=modify-preview]")).ToHaveCountAsync(0);
            await page.FillAsync("[data-test=modify-reason]", "The customer vented on the phone already");
            await page.EvaluateAsync(@"() => { const s = document.querySelector('[data-test=start-at]');
                s.add(new Option('forged', 'Boundary_ApologiseSla')); s.value = 'Boundary_ApologiseSla'; }");
            await page.ClickAsync("[data-test=preview-modify]");
            await Expect(page.Locator("[data-test=modify-error]")).ToHaveTextAsync(
                "The instance was not modified: choose an element where it waits and one a token can start at.");
            await Expect(page.Locator("[data-test=modify-preview]")).ToHaveCountAsync(0);
            await page.SelectOptionAsync("[data-test=start-at]", "Task_Apologise");
            await page.ClickAsync("[data-test=preview-modify]");
            await Expect(page.Locator("[data-test=preview-cancelled]")).ToHaveTextAsync("Let the customer vent (Task_Vent)");
            await Expect(page.Locator("[data-test=preview-waits]")).ToHaveTextAsync("Apologise and thank (Task_Apologise)");
            await ShootAllAsync(page, "ModifyPreview", instanceUrl, async () =>
            {
                await page.SelectOptionAsync("[data-test=start-at]", "Task_Apologise");
                await page.FillAsync("[data-test=modify-reason]", "The customer vented on the phone already");
                await page.ClickAsync("[data-test=preview-modify]");
                await page.Locator("[data-test=modify-preview]").ScrollIntoViewIfNeededAsync();
            });
            await page.SelectOptionAsync("[data-test=start-at]", "Task_Apologise");
            await page.FillAsync("[data-test=modify-reason]", "The customer vented on the phone already");
            await page.ClickAsync("[data-test=preview-modify]");
            await page.ClickAsync("[data-test=confirm-modify]");
            await Expect(page.Locator("[data-test=flash]")).ToHaveTextAsync("The instance was modified.");
            await Expect(page.Locator("[data-test=task][data-element=Task_Apologise]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-test=task][data-element=Task_Vent]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-test=journal] [data-kind=Modified]")).ToContainTextAsync("The customer vented on the phone already");

            // Both changes are in the audit log.
            await page.GotoAsync("Admin/Audit?f.Event=InstanceMigrated");
            await Expect(page.Locator("[data-test=audit-row][data-event=InstanceMigrated]")).ToHaveCountAsync(1);
            await page.GotoAsync("Admin/Audit?f.Event=InstanceModified");
            await Expect(page.Locator("[data-test=audit-row][data-event=InstanceModified]")).ToContainTextAsync("Task_Apologise");
            await page.GotoAsync("Admin/Audit?f.Event=RejectedInput");
            await Expect(page.Locator("[data-test=audit-row][data-event=RejectedInput]")).ToHaveCountAsync(2); // the forged mapping and start element

            // The handler sees the moved complaint at Apologise on its case page.
            await handler.GotoAsync(atVentCase);
            await handler.WaitForStepAsync("complaint-apologise");
        }
        catch
        {
            for (var i = 0; i < contexts.Count; i++)
                foreach (var p in contexts[i].Pages)
                    output.WriteLine($"Screenshot: {await PortalPageTest.SaveScreenshotAsync(p, $"MigrationTests.{i}.failed")} (at {p.Url})");
            throw;
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }
}
