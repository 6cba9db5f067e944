using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Domain;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.E2ETests.Complaints;

/// <summary>Many staff acting at once through the real HTTP stack: intake, completing a step, taking a step.</summary>
public sealed class RaceTests(ComplaintsApp app, BrowserFixture browser, ITestOutputHelper output) : ComplaintsPageTest(app, browser, output)
{
    private const int Racers = 20;

    private static object Body(string phone, string order, bool allowDuplicate = false) => new
    {
        contactName = "Zhao Min", phone, orderReference = order, channel = "Web", account = "Wrong size delivered.", allowDuplicate,
    };

    [Fact]
    public async Task Intake_GivesEachComplaintItsOwnReference_WhenTwentyArriveAtOnce()
    {
        using var handler = await StaffClient.SignInAsync(App.BaseUrl, "handler@demo.local");

        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => handler.PostJsonAsync("api/complaints", Body(ComplaintSteps.NextPhone(), $"MANY-{i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var references = await Task.WhenAll(responses.Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("reference").GetString()));
        Assert.Equal(Racers, references.Distinct().Count());
    }

    [Fact]
    public async Task Intake_CreatesOne_WhenTwentyIdenticalArriveAtOnce()
    {
        using var handler = await StaffClient.SignInAsync(App.BaseUrl, "handler@demo.local");
        var phone = ComplaintSteps.NextPhone();

        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => handler.PostJsonAsync("api/complaints", Body(phone, "SAME-1"))));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var reference = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("reference").GetString();
        var conflicts = responses.Where(r => r != created).ToList();
        Assert.All(conflicts, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        foreach (var conflict in conflicts)
            Assert.Contains(reference, JsonDocument.Parse(await conflict.Content.ReadAsStringAsync()).RootElement.GetProperty("duplicates").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(1, await WithDbAsync(db => db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM \"Complaints\" WHERE \"ContactPhone\" = {PhoneNumber.Parse(phone).Value}").SingleAsync()));
    }

    [Fact]
    public async Task StepCompletion_TellsEveryLoserWhoCompletedItAndWhen_NeverForbiddenOrNeedsStep()
    {
        var (id, _) = await ReceiveAsync();
        var clients = await RacersAsync();
        var pages = await Task.WhenAll(clients.Select(c => WaitForFormAsync(c, id, "complaint-vent")));
        var deniedBefore = await CountAuditAsync(AuditEvents.AccessDenied);

        var answers = await Task.WhenAll(clients.Select((c, i) => c.PostAsync($"Complaints/Case?id={id}&handler=Vent", pages[i], new Dictionary<string, string>
        {
            ["Input.TaskId"] = StaffClient.Hidden(pages[i], "Input.TaskId"), ["Input.CommandId"] = Guid.NewGuid().ToString("N"),
            ["Input.Account"] = $"Racer {i}: it arrived broken.", ["Input.EmotionalState"] = "Angry",
        })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers, a => a.Html.Contains("The step was saved."));
        Assert.Equal(Racers - 1, answers.Count(a => a.Html.Contains("This step was already completed by")));
        Assert.DoesNotContain(answers, a => a.Html.Contains("This needs step") || a.Html.Contains("You may not act on this step"));
        Assert.Equal(deniedBefore, await CountAuditAsync(AuditEvents.AccessDenied));
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public async Task Claim_TellsEveryLoserWhoTookItAndWhen_AndAuditsNoDenial()
    {
        var (id, _) = await ReceiveAsync();
        var clients = await RacersAsync();
        var pages = await Task.WhenAll(clients.Select(c => WaitForFormAsync(c, id, "complaint-vent")));
        var deniedBefore = await CountAuditAsync(AuditEvents.AccessDenied);

        var answers = await Task.WhenAll(clients.Select((c, i) => c.PostAsync($"Complaints/Case?id={id}&handler=Claim", pages[i], new Dictionary<string, string>
        {
            ["Input.TaskId"] = StaffClient.Hidden(pages[i], "Input.TaskId"),
        })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers, a => a.Html.Contains("You took this step."));
        Assert.Equal(Racers - 1, answers.Count(a => a.Html.Contains("This step was already taken by") && a.Html.Contains(" at ")));
        Assert.Equal(deniedBefore, await CountAuditAsync(AuditEvents.AccessDenied));
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public async Task Escalation_WritesNoEntry_WhenAHandlerPostsIt()
    {
        var (id, _) = await ReceiveAsync();
        using var handler = await StaffClient.SignInAsync(App.BaseUrl, "handler@demo.local");
        var page = await WaitForFormAsync(handler, id, "complaint-vent");
        var deniedBefore = await CountAuditAsync(AuditEvents.AccessDenied);

        // The handler's own Vent task, posted as the supervisors' escalation form.
        var answer = await handler.PostAsync($"Complaints/Case?id={id}&handler=Escalation", page, new Dictionary<string, string>
        {
            ["Input.TaskId"] = StaffClient.Hidden(page, "Input.TaskId"), ["Input.CommandId"] = Guid.NewGuid().ToString("N"), ["Input.EscalationNote"] = "forged",
        });

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(0, await CountAuditAsync("EscalationHandled"));
        Assert.Equal(deniedBefore + 1, await CountAuditAsync(AuditEvents.AccessDenied));
    }

    private async Task<(Guid Id, string Reference)> ReceiveAsync()
    {
        using var handler = await StaffClient.SignInAsync(App.BaseUrl, "handler@demo.local");
        var response = await handler.PostJsonAsync("api/complaints", Body(ComplaintSteps.NextPhone(), "RACE-1"));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (json.GetProperty("id").GetGuid(), json.GetProperty("reference").GetString()!);
    }

    /// <summary>Twenty different handlers, each signed in on a client of their own.</summary>
    private async Task<StaffClient[]> RacersAsync()
    {
        var emails = new List<string>();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            for (var i = 0; i < Racers; i++)
            {
                var email = $"racer{Interlocked.Increment(ref racerCounter)}@test.local";
                var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Racer {racerCounter}" };
                Assert.True((await users.CreateAsync(user, PageExtensions.DemoPassword)).Succeeded);
                Assert.True((await users.AddToRoleAsync(user, Roles.Handler)).Succeeded);
                emails.Add(email);
            }
        }
        return await Task.WhenAll(emails.Select(e => StaffClient.SignInAsync(App.BaseUrl, e)));
    }

    private static int racerCounter;

    private static async Task<string> WaitForFormAsync(StaffClient client, Guid id, string formKey)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var html = await client.GetAsync($"Complaints/Case?id={id}");
            if (html.Contains($"data-form-key=\"{formKey}\"")) return html;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{formKey} did not open on complaint {id}.");
            await Task.Delay(300);
        }
    }

    private Task<int> CountAuditAsync(string auditEvent) => WithDbAsync(db => db.Set<AuditEntry>().CountAsync(e => e.Event == auditEvent));

    private async Task<T> WithDbAsync<T>(Func<RemediationDbContext, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<RemediationDbContext>());
    }
}
