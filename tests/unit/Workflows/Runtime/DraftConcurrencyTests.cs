using Remediation.Workflows;
using Xunit;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>Two admins editing one draft: a save or publish names the draft it started from (its token); a stale one is refused with who and when.</summary>
public sealed class DraftConcurrencyTests : IAsyncLifetime
{
    private readonly WorkflowTestHost host = new();
    private readonly string v1 = WorkflowTestHost.Fixture("sequence.bpmn");
    private static readonly string NoDraft = DefinitionView.NoDraftToken(1);
    private string Edit(string name) => v1.Replace("name=\"Review complaint\"", $"name=\"{name}\"");

    public Task InitializeAsync() => host.PublishAsync("sequence.bpmn");

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task SaveDraft_IsRefusedWithWhoAndWhen_WhenAnotherAdminSavedSince()
    {
        // Given both admins opened version 1 with no draft, When Ann saves and then Ben saves, Then Ben is refused naming Ann.
        var ann = await host.Definitions.SaveDraftAsync(Edit("Ann's review"), "ann@demo.local", NoDraft);
        var ben = await host.Definitions.SaveDraftAsync(Edit("Ben's review"), "ben@demo.local", NoDraft);

        Assert.True(ann.IsOk);
        Assert.Equal(WorkflowOutcome.Conflict, ben.Outcome);
        Assert.Equal("ann@demo.local", ben.Conflict!.ActedBy);
        Assert.Equal(ann.Value!.CreatedAt, ben.Conflict.ActedAt);
        var draft = (await host.Definitions.ListAsync("sequence")).Single(d => d.Version == 0);
        Assert.Equal(ann.Value.Hash, draft.Hash);
        Assert.Equal("ann@demo.local", draft.ChangedBy);
    }

    [Fact]
    public async Task SaveDraft_Succeeds_WhenTheTokenIsTheCurrentDraft()
    {
        var first = await host.Definitions.SaveDraftAsync(Edit("First"), "ann@demo.local", NoDraft);
        var second = await host.Definitions.SaveDraftAsync(Edit("Second"), "ann@demo.local", first.Value!.Hash);
        var stale = await host.Definitions.SaveDraftAsync(Edit("Third"), "ben@demo.local", first.Value.Hash);

        Assert.True(second.IsOk);
        Assert.Equal(WorkflowOutcome.Conflict, stale.Outcome);
        Assert.Contains("Second", (await host.QueryAsync(db => Task.FromResult(db.Set<Remediation.Workflows.Persistence.WorkflowDefinition>().Single(d => d.ProcessId == "sequence" && d.Version == 0).Xml))));
    }

    [Fact]
    public async Task SaveDraft_IsRefused_WhenTheDraftWasPublishedSince()
    {
        var draft = await host.Definitions.SaveDraftAsync(Edit("v2"), "ann@demo.local", NoDraft);
        var published = await host.Definitions.PublishAsync("sequence", "ann@demo.local", draft.Value!.Hash);
        var stale = await host.Definitions.SaveDraftAsync(Edit("late"), "ben@demo.local", draft.Value.Hash);

        Assert.Equal(2, published.Value!.Version);
        Assert.Equal("ann@demo.local", published.Value.ChangedBy);
        Assert.Equal(WorkflowOutcome.Conflict, stale.Outcome);
        Assert.Equal("ann@demo.local", stale.Conflict!.ActedBy);
    }

    [Fact]
    public async Task Publish_IsRefused_WhenTheDraftChangedAfterThePublisherSawIt()
    {
        var seen = await host.Definitions.SaveDraftAsync(Edit("seen"), "ann@demo.local", NoDraft);
        await host.Definitions.SaveDraftAsync(Edit("changed"), "ben@demo.local", seen.Value!.Hash);

        var publish = await host.Definitions.PublishAsync("sequence", "ann@demo.local", seen.Value.Hash);

        Assert.Equal(WorkflowOutcome.Conflict, publish.Outcome);
        Assert.Equal("ben@demo.local", publish.Conflict!.ActedBy);
        Assert.DoesNotContain(await host.Definitions.ListAsync("sequence"), d => d.Version == 2);
    }

    [Fact]
    public async Task SaveDraft_IsRefused_WhenAVersionWasPublishedSinceTheEditorOpenedTheOldOne()
    {
        // Given Ben opened version 1 with no draft, When Ann saves and publishes version 2, Then Ben's save (no draft again) is refused.
        var ann = await host.Definitions.SaveDraftAsync(Edit("v2"), "ann@demo.local", NoDraft);
        await host.Definitions.PublishAsync("sequence", "ann@demo.local", ann.Value!.Hash);

        var ben = await host.Definitions.SaveDraftAsync(Edit("Ben on v1"), "ben@demo.local", NoDraft);

        Assert.Equal(WorkflowOutcome.Conflict, ben.Outcome);
        Assert.Equal("ann@demo.local", ben.Conflict!.ActedBy);
        Assert.True((await host.Definitions.SaveDraftAsync(Edit("Ben on v2"), "ben@demo.local", DefinitionView.NoDraftToken(2))).IsOk);
    }

    [Fact]
    public async Task ConcurrentSaves_OneWins_WhenBothNameTheSameDraft()
    {
        var start = await host.Definitions.SaveDraftAsync(Edit("start"), "ann@demo.local", NoDraft);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => host.Definitions.SaveDraftAsync(Edit($"edit {i}"), $"admin{i}@demo.local", start.Value!.Hash))));

        Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(WorkflowOutcome.Conflict, r.Outcome));
    }
}
