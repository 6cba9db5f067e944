using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements.Tasks;

/// <summary>
/// A script task: JavaScript run in the engine's Jint sandbox (strict, time, statement, recursion and memory limits, no CLR)
/// over a snapshot of the variables; its value goes to <c>camunda:resultVariable</c>. A failing script is an incident on it.
/// </summary>
public sealed class ScriptTask : FlowNode
{
    public required string Script { get; init; }
    public string? ResultVariable { get; init; }

    internal override IEnumerable<string> Scripts => [Script];

    internal override Task EnterAsync(FlowContext context)
    {
        var result = context.Evaluate(Script);
        context.LeaveWith(ResultVariable is null ? null : new System.Text.Json.Nodes.JsonObject { [ResultVariable] = result });
        return Task.CompletedTask;
    }
}
