using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;
using Remediation.Workflows.Model;

namespace Remediation.UnitTests.Workflows.Model;

/// <summary>One engine for the whole table: each row publishes its own process.</summary>
public sealed class ConditionHostFixture : IAsyncLifetime
{
    public WorkflowTestHost Host { get; } = new();
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The JUEL translation table: each form, the JavaScript it becomes, and the route it gives a real instance through the
/// engine (juel-template.bpmn: Flow_yes carries the condition, the default leads to No).
/// </summary>
public sealed class ConditionTranslatorTests(ConditionHostFixture fixture) : IClassFixture<ConditionHostFixture>
{
    private const string Empty = "(note == null || note === '' || (typeof note === 'object' && Object.keys(note).length === 0))";

    [Theory]
    [InlineData("${approved}", "approved", """{"approved":true}""", "Yes")]
    [InlineData("${approved}", "approved", """{"approved":false}""", "No")]
    [InlineData("${!approved}", "!approved", """{"approved":false}""", "Yes")]
    [InlineData("${not approved}", "!approved", """{"approved":true}""", "No")]
    [InlineData("${not approved}", "!approved", """{"approved":false}""", "Yes")]
    [InlineData("${approved and urgent}", "approved && urgent", """{"approved":true,"urgent":true}""", "Yes")]
    [InlineData("${approved && urgent}", "approved && urgent", """{"approved":true,"urgent":false}""", "No")]
    [InlineData("${approved or urgent}", "approved || urgent", """{"approved":false,"urgent":true}""", "Yes")]
    [InlineData("${approved || urgent}", "approved || urgent", """{"approved":false,"urgent":false}""", "No")]
    [InlineData("${status eq 'open'}", "status == 'open'", """{"status":"open"}""", "Yes")]
    [InlineData("${status == \"open\"}", "status == 'open'", """{"status":"closed"}""", "No")]
    [InlineData("${status ne 'open'}", "status != 'open'", """{"status":"closed"}""", "Yes")]
    [InlineData("${status != 'open'}", "status != 'open'", """{"status":"open"}""", "No")]
    [InlineData("${amount lt 100}", "amount < 100", """{"amount":50}""", "Yes")]
    [InlineData("${amount < 100}", "amount < 100", """{"amount":100}""", "No")]
    [InlineData("${amount gt 100}", "amount > 100", """{"amount":50}""", "No")]
    [InlineData("${amount > 100}", "amount > 100", """{"amount":150}""", "Yes")]
    [InlineData("${amount le 100}", "amount <= 100", """{"amount":100}""", "Yes")]
    [InlineData("${amount ge 100.5}", "amount >= 100.5", """{"amount":100}""", "No")]
    [InlineData("${amount >= 100}", "amount >= 100", """{"amount":100}""", "Yes")]
    [InlineData("${approved == true}", "approved == true", """{"approved":true}""", "Yes")]
    [InlineData("${approved eq false}", "approved == false", """{"approved":true}""", "No")]
    [InlineData("${status eq null}", "status == null", """{"status":null}""", "Yes")]
    [InlineData("${count == 0}", "count == 0", """{"count":0}""", "Yes")]
    [InlineData("${empty note}", Empty, """{"note":""}""", "Yes")]
    [InlineData("${empty note}", Empty, """{"note":null}""", "Yes")]
    [InlineData("${empty note}", Empty, """{"note":[]}""", "Yes")]
    [InlineData("${empty note}", Empty, """{"note":{}}""", "Yes")]
    [InlineData("${empty note}", Empty, """{"note":"late"}""", "No")]
    [InlineData("${empty note}", Empty, """{"note":[1]}""", "No")]
    [InlineData("${empty note}", Empty, """{"note":0}""", "No")]
    [InlineData("${not empty note}", "!" + Empty, """{"note":"late"}""", "Yes")]
    [InlineData("${not empty note}", "!" + Empty, """{"note":""}""", "No")]
    [InlineData("${not (approved or urgent)}", "!(approved || urgent)", """{"approved":false,"urgent":false}""", "Yes")]
    [InlineData("${not approved == false}", "!approved == false", """{"approved":true}""", "Yes")]   // JUEL: (not approved) == false
    [InlineData("${amount gt 1000 and tier eq 'vip' or escalated}", "amount > 1000 && tier == 'vip' || escalated", """{"amount":5,"tier":"vip","escalated":true}""", "Yes")]
    [InlineData("${approved and (amount lt 10 or urgent)}", "approved && (amount < 10 || urgent)", """{"approved":true,"amount":50,"urgent":false}""", "No")]
    [InlineData("${customer.tier eq 'vip'}", "customer.tier == 'vip'", """{"customer":{"tier":"vip"}}""", "Yes")]
    [InlineData(@"${reason eq 'it\'s late'}", @"reason == 'it\'s late'", """{"reason":"it's late"}""", "Yes")]
    [InlineData("#{approved}", "approved", """{"approved":true}""", "Yes")]
    [InlineData("  ${ approved }  ", "approved", """{"approved":true}""", "Yes")]
    // Already JavaScript (not JUEL): kept as written.
    [InlineData("${approved === true}", "approved === true", """{"approved":true}""", "Yes")]
    [InlineData("${amount > 500 && tier !== 'vip'}", "amount > 500 && tier !== 'vip'", """{"amount":800,"tier":"gold"}""", "Yes")]
    [InlineData("${items.length > 0}", "items.length > 0", """{"items":[]}""", "No")]
    public async Task Translate_GivesJavaScript_AndRoutesInstance(string condition, string javaScript, string variables, string expected)
    {
        var translated = ConditionTranslator.Translate(condition, null);
        Assert.Null(translated.Problem);
        Assert.Equal(javaScript, translated.JavaScript);

        Assert.Equal([expected], await RouteAsync(condition, variables));
    }

    [Fact]
    public void Translate_KeepsScript_WhenLanguageIsJavaScript()
    {
        Assert.Equal(new ConditionText("amount > 100", null), ConditionTranslator.Translate(" amount > 100 ", "javascript"));
    }

    [Theory]
    [InlineData("${approved eq}", null)]
    [InlineData("${x.size() > 0 and y}", null)]
    [InlineData("${a} and ${b}", null)]
    [InlineData("${execution.getVariable('approved')}", null)]
    [InlineData("${execution.processBusinessKey eq 'x'}", null)]
    [InlineData("approved", null)]
    [InlineData("${}", null)]
    [InlineData("", null)]
    [InlineData("approved == true", "groovy")]
    [InlineData("approved ==", "javascript")]
    public void Translate_RefusesWithJavaScriptExample_WhenNotTranslatable(string condition, string? language)
    {
        var translated = ConditionTranslator.Translate(condition, language);

        Assert.Null(translated.JavaScript);
        Assert.Contains("JavaScript", translated.Problem);
        Assert.Contains(ConditionTranslator.Example, translated.Problem);
        Assert.DoesNotContain("Unexpected", translated.Problem);
        if (condition.Trim().Length > 3) Assert.Contains(condition.Trim(), translated.Problem);
    }

    [Fact]
    public async Task Start_RaisesIncident_WhenTranslatedConditionMeetsUnknownVariable()
    {
        // Camunda fails on an unknown variable too ("Cannot resolve identifier"); the engine raises an incident on the gateway.
        var id = await StartAsync("${approved and urgent}", """{"approved":true}""");

        var incident = Assert.Single((await fixture.Host.Runtime.GetInstanceAsync(id))!.OpenIncidents);
        Assert.Equal("Decide", incident.ElementId);
    }

    private async Task<IReadOnlyList<string>> RouteAsync(string condition, string variables) =>
        await fixture.Host.ActiveAsync(await StartAsync(condition, variables));

    private async Task<Guid> StartAsync(string condition, string variables)
    {
        var processId = "juel-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(condition + variables)))[..16].ToLowerInvariant();
        var xml = WorkflowTestHost.Fixture("juel-template.bpmn").Replace("PROCESS_ID", processId).Replace("CONDITION", condition);
        var draft = await fixture.Host.Definitions.SaveDraftAsync(xml);
        Assert.True(draft.IsOk, draft.Message);
        var published = await fixture.Host.Definitions.PublishAsync(processId);
        Assert.True(published.IsOk, published.Message + " " + string.Join("; ", published.Problems));
        var values = JsonNode.Parse(variables)!.AsObject().ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone());
        var started = await fixture.Host.Runtime.StartAsync(new Remediation.Workflows.StartProcess(processId, "case-1", values, UserId: "alice"));
        Assert.True(started.IsOk, started.Message);
        return started.Value;
    }
}
