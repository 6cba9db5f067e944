using Remediation.Portal.Studio;
using Remediation.UnitTests.Workflows;
using Xunit;

namespace Remediation.UnitTests.Portal.Studio;

/// <summary>The changes a draft makes against the current version, shown before publishing.</summary>
public sealed class DefinitionChangesTests
{
    private static readonly string V1 = WorkflowTestHost.Fixture("sequence.bpmn");

    [Fact]
    public void Between_ListsNothing_WhenOnlyTheLayoutOrFormattingDiffers()
    {
        var reformatted = V1.Replace("\n    ", "\n\t").Replace("<bpmn:endEvent id=\"End\" />", "<bpmn:endEvent id=\"End\"></bpmn:endEvent>");

        Assert.True(DefinitionChanges.Between(V1, reformatted).IsEmpty);
    }

    [Fact]
    public void Between_ListsAddedRemovedAndChangedElements_ById()
    {
        // Given v1 Start → Review → Close → End, When the draft renames Review, changes its candidate group,
        // puts a Check task between Review and Close and drops the F2 flow, Then Check, F2a, F2b are added, F2 removed, Review changed.
        var draft = V1
            .Replace("name=\"Review complaint\" camunda:formKey=\"complaint-review\" camunda:candidateGroups=\"Handler\"",
                     "name=\"Review the complaint\" camunda:formKey=\"complaint-review\" camunda:candidateGroups=\"Supervisor\"")
            .Replace("<bpmn:sequenceFlow id=\"F2\" sourceRef=\"Review\" targetRef=\"Close\" />",
                     "<bpmn:sequenceFlow id=\"F2a\" sourceRef=\"Review\" targetRef=\"Check\" /><bpmn:userTask id=\"Check\" name=\"Quality check\" camunda:candidateGroups=\"Supervisor\" /><bpmn:sequenceFlow id=\"F2b\" sourceRef=\"Check\" targetRef=\"Close\" />");

        var changes = DefinitionChanges.Between(V1, draft);

        Assert.Equal(["F2a", "Check", "F2b"], changes.Added.Select(c => c.Id));
        Assert.Equal("userTask", changes.Added[1].Type);
        Assert.Equal("Quality check", changes.Added[1].Name);
        Assert.Equal(["F2"], changes.Removed.Select(c => c.Id));
        Assert.Equal(["Review"], changes.Changed.Select(c => c.Id));
    }

    [Fact]
    public void Between_SeesChangesInsideExtensionsAndConditions()
    {
        var draft = V1.Replace("<camunda:constraint name=\"required\" />", "").Replace("camunda:dueDate=\"PT4H\"", "camunda:dueDate=\"PT8H\"");

        Assert.Equal(["Close"], DefinitionChanges.Between(V1, draft).Changed.Select(c => c.Id));
    }

    [Fact]
    public void Between_ListsEveryElementAsAdded_WhenThereIsNoPublishedVersion()
    {
        var changes = DefinitionChanges.Between(null, V1);

        Assert.Equal(["Start", "F1", "Review", "F2", "Close", "F3", "End"], changes.Added.Select(c => c.Id));
        Assert.Empty(changes.Removed);
    }

    [Fact]
    public void ProcessId_IsNull_WhenTheDocumentHasADtd()
    {
        Assert.Equal("sequence", DefinitionChanges.ProcessId(V1));
        Assert.Null(DefinitionChanges.ProcessId("<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>"));
    }
}
