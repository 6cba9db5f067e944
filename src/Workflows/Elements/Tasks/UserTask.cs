using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>A work item for a person: an assignee, or anyone in one of the candidate roles.</summary>
public sealed class UserTask : ActivityNode
{
    public string? FormKey { get; init; }
    /// <summary>A user id, or <c>${…}</c> evaluated when the task is created.</summary>
    public string? Assignee { get; init; }
    /// <summary>Role names, or <c>${…}</c> giving one or more (comma-separated) when the task is created.</summary>
    public IReadOnlyList<string> CandidateGroups { get; init; } = [];
    /// <summary><c>camunda:candidateUsers</c>: user ids or sign-in names, each may be <c>${…}</c> (giving one or several, comma-separated).</summary>
    public IReadOnlyList<string> CandidateUsers { get; init; } = [];
    /// <summary>An ISO 8601 duration relative to creation (PT4H), a date, or <c>${…}</c> giving either.</summary>
    public string? DueDate { get; init; }
    public IReadOnlyList<FormField> FormFields { get; init; } = [];

    internal override IEnumerable<string> Scripts =>
        new[] { Assignee, DueDate }.Concat(CandidateGroups).Concat(CandidateUsers).SelectMany(ExpressionText.Bodies);

    internal override Task EnterAsync(FlowContext context)
    {
        context.Wait();
        context.CreateWorkItem(this);
        context.ArmBoundaries(this);
        return Task.CompletedTask;
    }
}
