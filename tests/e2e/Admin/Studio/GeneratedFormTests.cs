using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Remediation.E2ETests.Complaints;
using Remediation.E2ETests.Infrastructure;
using Remediation.E2ETests.Reviews;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.E2ETests.Admin.Studio;

/// <summary>
/// An admin adds a step with a generated form to the shipped complaint process in the designer and publishes it; new
/// complaints get the step, a supervisor completes its form; complaints started before stay on version 1.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class GeneratedFormTests(StudioApp app, BrowserFixture browser, ITestOutputHelper output) : IClassFixture<StudioApp>
{
    private const string Step = "Task_QualityCheck";

    /// <summary>
    /// Through the modeler's own API (drag and drop is impractical in a test): a user task "Quality check" for Supervisors with
    /// a required enum "outcome" and a string "notes", dropped above the flow from "Accepted?" to "Anything to pay or send?",
    /// not connected yet.
    /// </summary>
    private const string InsertQualityCheck = """
        () => {
          const registry = designer.get('elementRegistry'), modeling = designer.get('modeling'), moddle = designer.get('moddle');
          const process = registry.get('Task_Confirm').parent;
          const shape = modeling.createShape({ type: 'bpmn:UserTask' }, { x: 1805, y: 70 }, process);
          modeling.updateProperties(shape, { id: 'Task_QualityCheck', name: 'Quality check', 'camunda:candidateGroups': 'Supervisor' });
          const outcome = moddle.create('camunda:FormField', {
            id: 'outcome', label: 'Outcome', type: 'enum',
            values: [moddle.create('camunda:Value', { id: 'passed', name: 'Passed' }), moddle.create('camunda:Value', { id: 'failed', name: 'Failed' })],
            validation: moddle.create('camunda:Validation', { constraints: [moddle.create('camunda:Constraint', { name: 'required' })] }),
          });
          const notes = moddle.create('camunda:FormField', { id: 'notes', label: 'Notes', type: 'string' });
          const formData = moddle.create('camunda:FormData', { fields: [outcome, notes] });
          modeling.updateProperties(shape, { extensionElements: moddle.create('bpmn:ExtensionElements', { values: [formData] }) });
        }
        """;

    /// <summary>The accepted flow now ends at the new step, and a new flow leads from it to "Anything to pay or send?".</summary>
    private const string ConnectQualityCheck = """
        () => {
          const registry = designer.get('elementRegistry'), modeling = designer.get('modeling');
          const step = registry.get('Task_QualityCheck');
          modeling.reconnectEnd(registry.get('Flow_Accepted'), step, { x: 1805, y: 110 });
          modeling.connect(step, registry.get('Gateway_Pays'));
        }
        """;

    [Fact]
    public async Task Admin_AddsAGeneratedStep_NewComplaintsGetIt_AndASupervisorCompletesItsForm()
    {
        var contexts = new List<IBrowserContext>();
        try
        {
            // Given a complaint received while the complaint process is at version 1.
            var handler = await NewPageAsync(contexts);
            await handler.SignInAsync("handler@demo.local");
            var before = await handler.ReceivePhoneComplaintAsync();

            // The admin inserts the step, unconnected: the live check marks it, and so does the server's check on saving.
            var admin = await NewPageAsync(contexts);
            await admin.SignInAsync("admin@demo.local");
            await admin.GotoAsync("Admin/Workflows/complaint-handling/Edit");
            await Expect(admin.Locator("[data-test=designer][data-ready=true]")).ToBeVisibleAsync();
            await admin.EvaluateAsync(InsertQualityCheck);
            await Expect(admin.Locator($".djs-overlays[data-container-id={Step}] .bjsl-overlay")).ToBeVisibleAsync();
            await admin.ClickAsync("[data-test=save]");
            await Expect(admin.Locator($"[data-test=problem][data-element={Step}]")).ToContainTextAsync("cannot be reached from a start event");
            await PortalPageTest.SaveScreenshotAsync(admin, "Studio.GeneratedForm.Designer.en.1280");

            // Connected, it has no problem; published, it is version 2 with the step added.
            await admin.EvaluateAsync(ConnectQualityCheck);
            await Expect(admin.Locator($".djs-overlays[data-container-id={Step}] .bjsl-overlay")).ToHaveCountAsync(0);
            await admin.ClickAsync("[data-test=save]");
            await Expect(admin.Locator("[data-test=message]")).ToContainTextAsync("no problems");
            await admin.ClickAsync("[data-test=publish]");
            await Expect(admin.Locator($"[data-test=publish-dialog] [data-test=changes-added] [data-element={Step}]")).ToContainTextAsync("Quality check");
            await admin.ClickAsync("[data-test=publish-confirm]");
            await Expect(admin.Locator("[data-test=message]")).ToContainTextAsync("Version 2 is published");

            // (Not saved.) An event sub-process is started by its trigger, not by a flow: the check leaves it alone, while a
            // task dropped beside it is marked.
            var ids = await admin.EvaluateAsync<string[]>("""
                () => {
                  const registry = designer.get('elementRegistry'), modeling = designer.get('modeling'), moddle = designer.get('moddle');
                  const process = registry.get('Task_Confirm').parent;
                  const events = modeling.createShape({ type: 'bpmn:SubProcess', isExpanded: true, businessObject: moddle.create('bpmn:SubProcess', { id: 'Activity_Events', triggeredByEvent: true }) },
                    { x: 600, y: 900 }, process);
                  const task = modeling.createShape({ type: 'bpmn:Task' }, { x: 900, y: 900 }, process);
                  return [events.id, task.id];
                }
                """);
            await Expect(admin.Locator($".djs-overlays[data-container-id={ids[1]}] .bjsl-overlay")).ToBeVisibleAsync();
            await Expect(admin.Locator($".djs-overlays[data-container-id={ids[0]}] .bjsl-overlay")).ToHaveCountAsync(0);

            // A new complaint runs version 2; the one received before stays on version 1.
            var after = await handler.ReceivePhoneComplaintAsync();
            Assert.Equal(1, await VersionOfAsync(before));
            Assert.Equal(2, await VersionOfAsync(after));

            // The handler works the new complaint up to the customer's acceptance; the next step is the supervisor's.
            await handler.VentAsync();
            await handler.ApologiseAsync();
            await handler.ProbeAsync();
            await handler.ProposeAsync(120m);
            await handler.ConfirmAsync(accepted: true);
            await handler.WaitForStepAsync("generated");
            await Expect(handler.Locator("[data-test=step-name]")).ToHaveTextAsync("Quality check");
            await Expect(handler.Locator("[data-test=cannot-act]")).ToBeVisibleAsync();
            var caseUrl = handler.Url;

            // The supervisor finds it in the queue under its BPMN name and opens it.
            var supervisor = await NewPageAsync(contexts);
            await supervisor.SignInAsync("supervisor@demo.local");
            await supervisor.GotoAsync("Queue");
            var row = supervisor.Locator($"[data-test=queue-row][data-reference={after}]");
            await Expect(row.Locator("[data-test=step]")).ToHaveTextAsync("Quality check");
            await ShootAllAsync(supervisor, "Queue", "Queue", null);
            await row.Locator($"a:has-text('{after}')").ClickAsync();
            await Expect(supervisor.Locator("[data-test=step-form][data-form-key=generated]")).ToBeVisibleAsync();
            var form = supervisor.Locator("[data-test=generated-form]");
            await Expect(form.Locator("[data-field=outcome] label")).ToHaveTextAsync("Outcome *");
            await Expect(form.Locator("[data-field=outcome] option")).ToHaveTextAsync(["—", "Passed", "Failed"]);

            // The required outcome left empty: refused under the field, with its label; nothing moves.
            await SubmitWithoutOutcomeAsync(supervisor);
            await Expect(form.Locator("[data-field=outcome] [data-test=field-error]")).ToHaveTextAsync("Outcome is required.");
            await Expect(form.Locator("[data-field=notes] input")).ToHaveValueAsync("Box checked, seal intact");
            Assert.Contains(Step, await ActiveElementsAsync(after));
            await ShootAllAsync(supervisor, caseUrl, "Case", SubmitWithoutOutcomeAsync);

            // Filled in, the step is saved and the case moves on, with what was entered on the timeline.
            await form.Locator("[data-field=outcome] select").SelectOptionAsync("passed");
            await form.Locator("[data-field=notes] input").FillAsync("Box checked, seal intact");
            await supervisor.ClickAsync("[data-test=submit-step]");
            await Expect(supervisor.Locator("[data-test=flash]")).ToContainTextAsync("The step was saved.");
            await Expect(supervisor.Locator("[data-test=generated-form]")).ToHaveCountAsync(0);
            await Expect(supervisor.Locator("[data-test=timeline]"))
                .ToContainTextAsync("Quality check by Demo Supervisor: Outcome = Passed; Notes = Box checked, seal intact");
            Assert.DoesNotContain(Step, await ActiveElementsAsync(after));
            var instance = await InstanceOfAsync(after);
            Assert.Equal("passed", instance.Variables["outcome"]?.ToString());
            Assert.Equal("Box checked, seal intact", instance.Variables["notes"]?.ToString());
        }
        catch
        {
            for (var i = 0; i < contexts.Count; i++)
                foreach (var page in contexts[i].Pages)
                    output.WriteLine($"Screenshot: {await PortalPageTest.SaveScreenshotAsync(page, $"GeneratedFormTests.{i}.failed")} (at {page.Url})");
            throw;
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task Handler_CompletesAGeneratedStep_OnTheReviewPage()
    {
        // Given review-remediation version 2 starts with a "Triage" step: a required long with a default, a required
        // checkbox and a date with a default in Camunda's day/month/year.
        string shipped;
        using (var reader = new StreamReader(typeof(Remediation.Portal.Reviews.ReviewProcess).Assembly
                   .GetManifestResourceStream("Remediation.Portal.Workflows.review-remediation.bpmn")!))
            shipped = await reader.ReadToEndAsync();
        const string firstFlow = "<bpmn:sequenceFlow id=\"Flow_StartToReply\" sourceRef=\"StartEvent_Received\" targetRef=\"Task_Reply\" />";
        Assert.Contains(firstFlow, shipped);
        var xml = shipped.Replace(firstFlow, """
            <bpmn:sequenceFlow id="Flow_StartToReply" sourceRef="StartEvent_Received" targetRef="Task_Triage" />
            <bpmn:userTask id="Task_Triage" name="Triage" camunda:candidateGroups="Handler">
              <bpmn:extensionElements>
                <camunda:formData>
                  <camunda:formField id="units" label="Units affected" type="long" defaultValue="1">
                    <camunda:validation><camunda:constraint name="required" /></camunda:validation>
                  </camunda:formField>
                  <camunda:formField id="verified" label="Order verified" type="boolean">
                    <camunda:validation><camunda:constraint name="required" /></camunda:validation>
                  </camunda:formField>
                  <camunda:formField id="orderedOn" label="Ordered on" type="date" defaultValue="01/11/2026" />
                </camunda:formData>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="Flow_TriageToReply" sourceRef="Task_Triage" targetRef="Task_Reply" />
            """);
        var definitions = app.Services.GetRequiredService<IWorkflowDefinitions>();
        var draft = await definitions.SaveDraftAsync(xml);
        Assert.True(draft.IsOk, draft.Message);
        var published = await definitions.PublishAsync("review-remediation");
        Assert.True(published.IsOk, published.Message + string.Join("; ", published.Problems.Select(p => p.Message)));

        var contexts = new List<IBrowserContext>();
        try
        {
            var handler = await NewPageAsync(contexts);
            await handler.SignInAsync("handler@demo.local");
            var id = await handler.PostReviewAsync("generated-1", 2, "Two of the three cups arrived broken.");
            await handler.OpenReviewAsync(id);
            var url = handler.Url;
            await handler.WaitForReviewStepAsync("generated");
            await Expect(handler.Locator("[data-test=step-name]")).ToHaveTextAsync("Triage");
            var form = handler.Locator("[data-test=generated-form]");
            await Expect(form.Locator("[data-field=units] input")).ToHaveValueAsync("1");
            await Expect(form.Locator("[data-field=orderedOn] input")).ToHaveValueAsync("2026-11-01");

            // Not a number, and the required box not ticked: both refused under their fields; nothing moves.
            await RefuseTriageAsync(handler);
            await Expect(form.Locator("[data-field=units] [data-test=field-error]")).ToHaveTextAsync("Units affected must be a whole number.");
            await Expect(form.Locator("[data-field=verified] [data-test=field-error]")).ToHaveTextAsync("Order verified must be ticked.");
            await ShootAllAsync(handler, url, "Review", RefuseTriageAsync);

            // A forged value (the checkbox cannot send "maybe") is refused the same way, and audited.
            await handler.EvaluateAsync("() => document.querySelector('[data-field=verified] input').value = 'maybe'");
            await form.Locator("[data-field=verified] input").CheckAsync();
            await handler.ClickAsync("[data-test=complete-form] [data-test=submit]");
            await Expect(form.Locator("[data-field=verified] [data-test=field-error]")).ToHaveTextAsync("Order verified must be yes or no.");
            using (var scope = app.Services.CreateScope())
            {
                var audit = await scope.ServiceProvider.GetRequiredService<RemediationDbContext>().Set<AuditEntry>()
                    .Where(a => a.Event == AuditEvents.RejectedInput && a.UserName == "handler@demo.local").Select(a => a.Detail).ToListAsync();
                Assert.Contains(audit, d => d!.Contains("'verified'"));
            }

            await form.Locator("[data-field=units] input").FillAsync("2");
            await form.Locator("[data-field=verified] input").CheckAsync();
            await handler.ClickAsync("[data-test=complete-form] [data-test=submit]");
            await Expect(handler.Locator("[data-test=flash]")).ToContainTextAsync("The step was saved.");
            await handler.WaitForReviewStepAsync("review-reply");
            await Expect(handler.Locator("[data-test=timeline]")).ToContainTextAsync("Triage by Demo Handler: Units affected = 2; Order verified = Yes; Ordered on = 11/1/2026");
        }
        catch
        {
            for (var i = 0; i < contexts.Count; i++)
                foreach (var page in contexts[i].Pages)
                    output.WriteLine($"Screenshot: {await PortalPageTest.SaveScreenshotAsync(page, $"GeneratedFormTests.Review.{i}.failed")} (at {page.Url})");
            throw;
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }

    private static async Task RefuseTriageAsync(IPage page)
    {
        await page.FillAsync("[data-test=generated-form] [data-field=units] input", "twelve");
        await page.ClickAsync("[data-test=complete-form] [data-test=submit]");
        await Expect(page.Locator("[data-test=generated-form] [data-field=units] [data-test=field-error]")).ToBeVisibleAsync();
    }

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

    private static async Task SubmitWithoutOutcomeAsync(IPage page)
    {
        await page.FillAsync("[data-test=generated-form] [data-field=notes] input", "Box checked, seal intact");
        await page.ClickAsync("[data-test=submit-step]");
        await Expect(page.Locator("[data-test=generated-form] [data-field=outcome] [data-test=field-error]")).ToBeVisibleAsync();
    }

    /// <summary>
    /// The page (with its form refused by <paramref name="refuse"/>, if any), in English (the page as it is) and Chinese at 1280 px and
    /// Chinese on a 390×844 phone; leaves the page at <paramref name="url"/> in English.
    /// </summary>
    private static async Task ShootAllAsync(IPage page, string url, string name, Func<IPage, Task>? refuse)
    {
        async Task ShootAsync(string culture, int width)
        {
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= width, $"the {name} page scrolls sideways at {width}px ({scrollWidth}px)");
            await PortalPageTest.SaveScreenshotAsync(page, $"Studio.GeneratedForm.{name}.{culture}.{width}");
        }
        await ShootAsync("en", 1280);
        await page.GotoAsync(url);
        await page.SwitchLanguageAsync("zh-Hans");
        if (refuse is not null) await refuse(page);
        await ShootAsync("zh-Hans", 1280);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(url);
        if (refuse is not null) await refuse(page);
        await ShootAsync("zh-Hans", 390);
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(url);
        await page.SwitchLanguageAsync("en");
    }

    private async Task<InstanceView> InstanceOfAsync(string reference)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        var id = await db.Set<WorkflowInstance>().Where(i => i.BusinessKey == reference && i.ProcessId == "complaint-handling").Select(i => i.Id).SingleAsync();
        return (await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().GetInstanceAsync(id))!;
    }

    private async Task<int> VersionOfAsync(string reference) => (await InstanceOfAsync(reference)).DefinitionVersion;

    private async Task<IReadOnlyList<string>> ActiveElementsAsync(string reference) => (await InstanceOfAsync(reference)).ActiveElementIds;
}
