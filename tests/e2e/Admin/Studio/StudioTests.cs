using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Remediation.Workflows;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Admin.Studio;

/// <summary>The workflow studio: upload, designer (properties panel, lint, save, publish, stale saves), incidents.</summary>
[Collection(PortalCollection.Name)]
public sealed class StudioTests(StudioApp app, BrowserFixture browser, ITestOutputHelper output) : IClassFixture<StudioApp>
{
    private async Task<IPage> NewPageAsync(List<IBrowserContext> contexts, int width = 1280, int height = 900)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        contexts.Add(context);
        return await context.NewPageAsync();
    }

    private async Task RunAsync(Func<List<IBrowserContext>, Task> body, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var contexts = new List<IBrowserContext>();
        try
        {
            await body(contexts);
        }
        catch
        {
            for (var i = 0; i < contexts.Count; i++)
                foreach (var page in contexts[i].Pages)
                    output.WriteLine($"Screenshot: {await PortalPageTest.SaveScreenshotAsync(page, $"StudioTests.{name}.{i}.failed")} (at {page.Url})");
            throw;
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }

    private static async Task ShootAsync(IPage page, string name, string culture, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{name} scrolls sideways at {width}px ({scrollWidth}px)");
        await PortalPageTest.SaveScreenshotAsync(page, $"Studio.{name}.{culture}.{width}");
    }

    /// <summary>English and Chinese at 1280 px, Chinese on a 390×844 phone; leaves the page in English at 1280 px.</summary>
    private static async Task ShootAllAsync(IPage page, string name, Func<Task>? ready = null, Func<Task>? readyNarrow = null)
    {
        ready ??= () => Task.CompletedTask;
        await ready();
        await ShootAsync(page, name, "en", 1280);
        await page.SwitchLanguageAsync("zh-Hans");
        await ready();
        await ShootAsync(page, name, "zh-Hans", 1280);
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await (readyNarrow ?? ready)();
        await ShootAsync(page, name, "zh-Hans", 390);
        await page.SetViewportSizeAsync(1280, 900);
        await page.SwitchLanguageAsync("en");
        await ready();
    }

    private static async Task EventuallyAsync(Func<Task> assertion, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
        }
    }

    private static Task DesignerReadyAsync(IPage page) => Expect(page.Locator("[data-test=designer][data-ready=true]")).ToBeVisibleAsync();

    [Fact]
    public Task Admin_UploadsDesignsPublishes_AndAStaleSaveIsRefused() => RunAsync(async contexts =>
    {
        var page = await NewPageAsync(contexts);
        await page.SignInAsync("admin@demo.local");
        await page.GotoAsync("Admin/Workflows");
        await Expect(page.Locator("[data-process=complaint-handling] [data-test=latest]")).ToHaveTextAsync("Version 1");

        // A hostile file is refused with the engine's message; nothing is saved.
        var folder = Directory.CreateTempSubdirectory("studio-").FullName;
        var bad = Path.Combine(folder, "bad.bpmn");
        await File.WriteAllTextAsync(bad, "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>");
        await page.SetInputFilesAsync("#file", bad);
        await page.ClickAsync("[data-test=upload]");
        await Expect(page.Locator("[data-test=upload-result]")).ToContainTextAsync("cannot be read");
        await Expect(page.Locator("[data-test=upload-problems]")).ToContainTextAsync("DTD");

        // The real file becomes a draft; the designer publishes it as version 1.
        var good = Path.Combine(folder, "studio-flaky.bpmn");
        await File.WriteAllTextAsync(good, StudioProcess.Xml);
        await page.SetInputFilesAsync("#file", good);
        await page.ClickAsync("[data-test=upload]");
        await Expect(page.Locator("[data-test=upload-result]")).ToContainTextAsync("Saved as the draft of studio-flaky");
        await Expect(page.Locator($"[data-process={StudioProcess.Id}] [data-test=draft-by]")).ToContainTextAsync("admin@demo.local");
        await ShootAllAsync(page, "Workflows");
        await page.ClickAsync($"[data-process={StudioProcess.Id}] [data-test=edit]");
        await DesignerReadyAsync(page);
        await page.ClickAsync("[data-test=publish]");
        await Expect(page.Locator("[data-test=publish-dialog]")).ToContainTextAsync("first version");
        await page.ClickAsync("[data-test=publish-confirm]");
        await Expect(page.Locator("[data-test=message]")).ToContainTextAsync("Version 1 is published");

        // An instance runs on version 1 (its partner call fails: an incident for later).
        var runtime = app.Services.GetRequiredService<IWorkflowRuntime>();
        Assert.True((await runtime.StartAsync(new StartProcess(StudioProcess.Id, "PARTNER-1"))).IsOk);

        // A second admin opens the same process now, before the first one saves.
        var other = await NewPageAsync(contexts);
        await other.SignInAsync("all@demo.local");
        await other.GotoAsync($"Admin/Workflows/{StudioProcess.Id}/Edit");
        await DesignerReadyAsync(other);

        // The first admin renames the Check task and changes its candidate group in the properties panel.
        await page.ReloadAsync();
        await DesignerReadyAsync(page);
        await page.EvaluateAsync("() => designer.get('selection').select(designer.get('elementRegistry').get('Check'))");
        await page.ClickAsync("[data-group-id='group-general'] .bio-properties-panel-group-header");
        await page.FillAsync("#bio-properties-panel-name", "Supervisor check");
        await page.ClickAsync("[data-group-id='group-CamundaPlatform__UserAssignment'] .bio-properties-panel-group-header");
        await page.FillAsync("#bio-properties-panel-candidateGroups", "Supervisor");
        await page.Locator("#bio-properties-panel-candidateGroups").BlurAsync();
        await EventuallyAsync(async () => Assert.Equal("Supervisor check|Supervisor",
            await page.EvaluateAsync<string>("() => { const bo = designer.get('elementRegistry').get('Check').businessObject; return bo.name + '|' + bo.get('camunda:candidateGroups'); }")));

        // A form key the portal does not know: the live lint marks the element, and the server's check after saving too.
        await page.EvaluateAsync("() => designer.get('modeling').updateProperties(designer.get('elementRegistry').get('Check'), { 'camunda:formKey': 'no-such-form' })");
        await Expect(page.Locator(".djs-overlays[data-container-id=Check] .bjsl-overlay")).ToBeVisibleAsync();
        await page.ClickAsync("[data-test=save]");
        await Expect(page.Locator("[data-test=problem][data-element=Check]")).ToContainTextAsync("no-such-form");
        await Expect(page.Locator("[data-test=problem-overlay][data-element=Check]")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => designer.get('selection').select([])");
        await page.ClickAsync("[data-test=problem][data-element=Check]");
        Assert.Equal("Check", await page.EvaluateAsync<string>("() => designer.get('selection').get()[0]?.id"));
        await ShootAllAsync(page, "Designer", async () =>
            {
                await DesignerReadyAsync(page);
                await Expect(page.Locator(".djs-overlays[data-container-id=Check] .bjsl-overlay")).ToBeVisibleAsync();
            },
            () => Expect(page.Locator("[data-test=narrow]")).ToContainTextAsync(new Regex("更宽的屏幕")));

        await page.SwitchLanguageAsync("zh-Hans");
        await DesignerReadyAsync(page);
        await Expect(page.Locator("[data-group-id='group-general'] .bio-properties-panel-group-header-title")).ToHaveTextAsync("常规");
        await page.SwitchLanguageAsync("en");
        await DesignerReadyAsync(page);

        // The first admin fixes it (the Chinese round trip above reloaded the saved draft) and publishes after seeing the changes.
        await page.EvaluateAsync("() => designer.get('modeling').updateProperties(designer.get('elementRegistry').get('Check'), { 'camunda:formKey': undefined })");
        await page.ClickAsync("[data-test=save]");
        await Expect(page.Locator("[data-test=message]")).ToContainTextAsync("no problems");
        await Expect(page.Locator("[data-test=problem-overlay]")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-test=publish]");
        var dialog = page.Locator("[data-test=publish-dialog]");
        await Expect(dialog.Locator("[data-test=changes-changed] [data-element=Check]")).ToContainTextAsync("Supervisor check");
        await Expect(dialog.Locator("[data-test=changes-added] li")).ToHaveTextAsync(["(none)"]);
        await Expect(dialog.Locator("[data-test=running]")).ToContainTextAsync("1 running instance(s) stay");
        await Expect(dialog.Locator(".modal-content")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400); // the fade-in
        await PortalPageTest.SaveScreenshotAsync(page, "Studio.PublishDialog.en.1280");
        await page.ClickAsync("[data-test=publish-confirm]");
        await Expect(page.Locator("[data-test=message]")).ToContainTextAsync("Version 2 is published");

        // The second admin's save, from the draft they opened before, is refused naming the first admin.
        await other.EvaluateAsync("() => designer.get('modeling').updateLabel(designer.get('elementRegistry').get('Notify'), 'Call partner')");
        await other.ClickAsync("[data-test=save]");
        var refused = other.Locator("[data-test=message]");
        await Expect(refused).ToContainTextAsync("Refused: admin@demo.local changed this process at");
        await PortalPageTest.SaveScreenshotAsync(other, "Studio.StaleSave.en.1280");

        await page.GotoAsync("Admin/Workflows");
        var row = page.Locator($"[data-process={StudioProcess.Id}]");
        await Expect(row.Locator("[data-test=latest]")).ToHaveTextAsync("Version 2");
        await Expect(row.Locator("[data-version='1'] [data-test=running]")).ToHaveTextAsync("1 running");
        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("[data-version='2'] [data-test=download]").ClickAsync());
        Assert.Equal("studio-flaky-v2.bpmn", download.SuggestedFilename);
        Assert.Contains("Supervisor check", await File.ReadAllTextAsync((await download.PathAsync())!));

        await page.GotoAsync("Admin/Audit?f.Event=WorkflowPublished");
        await Expect(page.Locator("[data-test=audit-row][data-event=WorkflowPublished]")).ToHaveCountAsync(2);
    });

    [Fact]
    public Task Admin_RetriesAnIncident_AndItMovesToHistory() => RunAsync(async contexts =>
    {
        // Given a published process whose partner is down, an instance has an incident at Notify.
        var definitions = app.Services.GetRequiredService<IWorkflowDefinitions>();
        var processId = "studio-incident";
        var xml = StudioProcess.Xml.Replace("id=\"studio-flaky\"", $"id=\"{processId}\"").Replace("bpmnElement=\"studio-flaky\"", $"bpmnElement=\"{processId}\"");
        Assert.True((await definitions.SaveDraftAsync(xml)).IsOk);
        Assert.True((await definitions.PublishAsync(processId)).IsOk);
        app.Flaky.Down = true;
        var runtime = app.Services.GetRequiredService<IWorkflowRuntime>();
        var instanceId = (await runtime.StartAsync(new StartProcess(processId, "INC-1"))).Value;

        var page = await NewPageAsync(contexts);
        await page.SignInAsync("admin@demo.local");
        var incident = page.Locator($"[data-test=incident][data-element=Notify]:has-text('{instanceId}')");
        var until = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await page.GotoAsync("Admin/Incidents");
            if (await incident.CountAsync() > 0 || DateTime.UtcNow > until) break;
            await Task.Delay(300);
        } while (true);
        await Expect(incident).ToContainTextAsync("503 Service Unavailable");
        await ShootAllAsync(page, "Incidents");

        // The admin finds the instance by its process and "with incidents", and opens it: the failed element is red.
        await page.GotoAsync("Admin/Instances");
        await page.SelectOptionAsync("#f_Process", processId);
        await page.SelectOptionAsync("#f_Incidents", "With");
        await page.ClickAsync("[data-test=search]");
        await Expect(page.Locator("[data-test=instance]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=instance]")).ToContainTextAsync("INC-1");
        await ShootAllAsync(page, "Instances");
        await page.ClickAsync("[data-test=instance]");
        var diagram = page.Locator("[data-test=diagram][data-ready=true]");
        await Expect(diagram).ToBeVisibleAsync();
        await Expect(page.Locator(".djs-element.rem-incident[data-element-id=Notify]")).ToHaveCountAsync(1);
        await Expect(page.Locator(".rem-visits[data-element=Notify]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-test=incident][data-element=Notify]")).ToContainTextAsync("503");
        await Expect(page.Locator("[data-test=journal]")).ToContainTextAsync("Instance started");
        var instanceUrl = page.Url;
        await ShootAllAsync(page, "Instance", () => Expect(diagram).ToBeVisibleAsync());

        // When the partner is back and the admin retries, Then the instance moves on and the incident is history.
        app.Flaky.Down = false;
        await page.GotoAsync("Admin/Incidents");
        await incident.Locator("[data-test=retry-one]").ClickAsync();
        await Expect(page.Locator("[data-test=flash]")).ToContainTextAsync("1 incident(s) retried.");
        await Expect(incident).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-test=resolved]").First).ToContainTextAsync("admin@demo.local");
        await EventuallyAsync(async () => Assert.Equal(["Check"], (await runtime.GetInstanceAsync(instanceId))!.ActiveElementIds));

        await page.GotoAsync("Admin/Audit?f.Event=IncidentRetried");
        await Expect(page.Locator("[data-test=audit-row][data-event=IncidentRetried]").First).ToBeVisibleAsync();

        // The instance now waits at Check for the Handler role; the admin cancels it, a reason is required.
        await page.GotoAsync(instanceUrl);
        await Expect(page.Locator("[data-test=task][data-element=Check]")).ToContainTextAsync("unassigned (Handler)");
        await page.ClickAsync("[data-test=cancel]");
        await Expect(page.Locator("[data-test=reason-error]")).ToContainTextAsync("The Reason field is required.");
        await page.FillAsync("#Cancel_Reason", "Partner contract ended");
        await page.ClickAsync("[data-test=cancel]");
        await Expect(page.Locator("[data-test=flash]")).ToContainTextAsync("The instance was cancelled.");
        await Expect(page.Locator("[data-test=status]")).ToHaveTextAsync("Cancelled");
        await Expect(page.Locator("[data-test=end-reason]")).ToContainTextAsync("Partner contract ended");
        await page.GotoAsync("Admin/Instances?f.BusinessKey=INC-1&f.Status=Cancelled");
        await Expect(page.Locator("[data-test=instance]")).ToHaveCountAsync(1);
        await page.GotoAsync("Admin/Audit?f.Event=InstanceCancelled");
        await Expect(page.Locator("[data-test=audit-row][data-event=InstanceCancelled]")).ToContainTextAsync("Partner contract ended");
    });

    [Fact]
    public Task Designer_WithTheComplaintProcess_IsInteractiveWithinOneAndAHalfSeconds() => RunAsync(async contexts =>
    {
        var page = await NewPageAsync(contexts);
        await page.SignInAsync("admin@demo.local");
        await page.GotoAsync("Admin/Workflows/complaint-handling/Edit"); // first visit: compiles the page, fills the cache
        await DesignerReadyAsync(page);

        var timings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("Admin/Workflows/complaint-handling/Edit", new() { WaitUntil = WaitUntilState.Commit });
            await DesignerReadyAsync(page);
            // Interactive: the modeler answers a command (select and undo-able edit) right away.
            await page.EvaluateAsync("() => { const el = designer.get('elementRegistry').get('Task_Vent'); designer.get('selection').select(el); }");
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        output.WriteLine($"Designer (complaint-handling) interactive after navigation: median {timings[2]:F0} ms, max {timings[^1]:F0} ms ({string.Join(", ", timings.Select(t => t.ToString("F0")))})");
        Assert.True(timings[2] <= 1500, $"median {timings[2]:F0} ms");
    });

    [Fact]
    public Task Admin_ReadsACasePage_WithoutStepActions() => RunAsync(async contexts =>
    {
        var handler = await NewPageAsync(contexts);
        await handler.SignInAsync("handler@demo.local");
        await handler.ReceivePhoneComplaintAsync();
        var caseUrl = handler.Url;

        var admin = await NewPageAsync(contexts);
        await admin.SignInAsync("admin@demo.local");
        var response = await admin.GotoAsync(caseUrl);

        Assert.Equal(200, response!.Status);
        await Expect(admin.Locator("[data-test=reference]")).ToBeVisibleAsync();
        await Expect(admin.Locator("[data-test=submit-step]")).ToHaveCountAsync(0);
        await Expect(admin.Locator("[data-test=claim]")).ToHaveCountAsync(0);
    });
}
