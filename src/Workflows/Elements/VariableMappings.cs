using System.Text.Json.Nodes;
using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements;

/// <summary>One mapped variable: a target name and its value — a literal, or <c>${…}</c> (also with literal parts), or a source variable.</summary>
public sealed record VariableMapping(string Target, string? Source, string? Expression)
{
    internal IEnumerable<string> Scripts => ExpressionText.Bodies(Expression);

    internal JsonNode? Value(ScriptEvaluator scripts, JsonObject scope)
    {
        if (Source is not null) return scope[Source]?.DeepClone();
        if (Expression is null) return null;
        if (ExpressionText.Body(Expression) is { } script) return scripts.AsJson(script, scope);
        return Expression.Contains("${", StringComparison.Ordinal)
            ? ExpressionText.Fill(Expression, part => scripts.AsText(part, scope))
            : Expression;
    }

    internal static JsonObject Evaluate(IEnumerable<VariableMapping> mappings, ScriptEvaluator scripts, JsonObject scope)
    {
        var result = new JsonObject();
        foreach (var mapping in mappings) result[mapping.Target] = mapping.Value(scripts, scope);
        return result;
    }
}

/// <summary>
/// <c>camunda:inputOutput</c> on an activity: input parameters are evaluated when a token enters and become the activity's
/// local variables (what its expressions, handler payload or child see); output parameters are evaluated when it completes and
/// set in the scope around it. The locals end with the activity.
/// </summary>
public sealed class InputOutput
{
    public IReadOnlyList<VariableMapping> Inputs { get; init; } = [];
    public IReadOnlyList<VariableMapping> Outputs { get; init; } = [];

    internal IEnumerable<string> Scripts => Inputs.Concat(Outputs).SelectMany(m => m.Scripts);
}

/// <summary>
/// <c>camunda:in</c> / <c>camunda:out</c> on a call activity. Without any <c>camunda:in</c> the child gets all variables (the
/// engine's default); with some, only those (<c>variables="all"</c> adds all). The same for <c>camunda:out</c> and what the
/// parent takes back from the finished child.
/// </summary>
public sealed class CallMappings
{
    public IReadOnlyList<VariableMapping> In { get; init; } = [];
    public bool InAll { get; init; }
    public IReadOnlyList<VariableMapping> Out { get; init; } = [];
    public bool OutAll { get; init; }

    internal IEnumerable<string> Scripts => In.Concat(Out).SelectMany(m => m.Scripts);

    internal static JsonObject Apply(IReadOnlyList<VariableMapping> mappings, bool all, ScriptEvaluator scripts, JsonObject scope)
    {
        if (mappings.Count == 0) return (JsonObject)scope.DeepClone();
        var result = all ? (JsonObject)scope.DeepClone() : [];
        Runtime.Variables.Merge(result, VariableMapping.Evaluate(mappings, scripts, scope));
        return result;
    }
}
