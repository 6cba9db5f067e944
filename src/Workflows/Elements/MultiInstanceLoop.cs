using System.Text.Json.Nodes;
using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Elements;

/// <summary>
/// A multi-instance marker (<c>bpmn:multiInstanceLoopCharacteristics</c>) on a user task, service task, call activity or
/// sub-process. The token that arrives becomes the <b>body</b>: it waits at the activity, holds the counters
/// <c>nrOfInstances</c>, <c>nrOfActiveInstances</c>, <c>nrOfCompletedInstances</c> as its locals, and carries the activity's
/// boundary events. Each instance is a token at the same activity whose parent is the body, with the element variable and
/// <c>loopCounter</c> as its locals. Parallel: all instances start at once; sequential: one after the other. After each
/// instance the completion condition is checked; when it holds (or every instance is done) the remaining instances are
/// cancelled and the body leaves the activity. An empty collection (or a cardinality of 0) passes straight through.
/// </summary>
public sealed class MultiInstanceLoop
{
    public const string Instances = "nrOfInstances", Active = "nrOfActiveInstances", Completed = "nrOfCompletedInstances", Counter = "loopCounter";

    /// <summary>The counters are the engine's: process outputs never overwrite them.</summary>
    internal static readonly IReadOnlySet<string> CounterNames = new HashSet<string> { Instances, Active, Completed, Counter };

    /// <summary>More instances than this in one activity are refused (an incident): each is a token moved in one command.</summary>
    public const int MaxInstances = 500;

    public bool IsSequential { get; init; }
    /// <summary><c>camunda:collection</c>: <c>${…}</c> giving a list, or the name of a list variable.</summary>
    public string? Collection { get; init; }
    /// <summary><c>camunda:elementVariable</c>: the local variable holding each instance's item.</summary>
    public string? ElementVariable { get; init; }
    /// <summary><c>bpmn:loopCardinality</c>: a whole number or <c>${…}</c> giving one.</summary>
    public string? Cardinality { get; init; }
    /// <summary><c>bpmn:completionCondition</c>, as JavaScript (JUEL translated by the parser).</summary>
    public string? CompletionCondition { get; init; }

    internal IEnumerable<string> Scripts =>
        new[] { CollectionScript, ExpressionText.Body(Cardinality), CompletionCondition }.OfType<string>();

    private string? CollectionScript => Collection is null ? null : ExpressionText.Body(Collection) ?? Collection.Trim();

    /// <summary>A token arrived at the activity: it becomes the body and the instances start.</summary>
    internal void Enter(FlowContext context)
    {
        var body = context.Token;
        var items = Items(context);
        var count = items?.Count ?? Count(context);
        if (count > MaxInstances)
            throw new ElementFailedException($"'{context.Node.Id}' would start {count} instances; at most {MaxInstances} are allowed.");
        if (count == 0)
        {
            context.Journal($"No instances: {(items is null ? "the cardinality is 0" : "the collection is empty")}.");
            context.LeaveByConditions();
            return;
        }
        context.Wait();
        body.Loop = new LoopState { Items = IsSequential ? items : null };
        body.Locals = new JsonObject { [Instances] = count, [Active] = IsSequential ? 1 : count, [Completed] = 0 };
        context.ArmBoundaries((ActivityNode)context.Node);
        for (var i = 0; i < (IsSequential ? 1 : count); i++) context.StartLoopInstance(i, items?[i], ElementVariable);
    }

    /// <summary>An instance has finished: count it, then start the next (sequential) or, when done, let the body leave.</summary>
    internal async Task InstanceCompletedAsync(FlowContext instance, Token body, JsonObject? output)
    {
        var locals = body.Locals!;
        var before = (JsonObject)locals.DeepClone();
        var count = locals[Instances]!.GetValue<int>();
        var completed = locals[Completed]!.GetValue<int>() + 1;
        var index = instance.Token.Locals?[Counter]?.GetValue<int>() ?? 0;
        locals[Completed] = completed;
        locals[Active] = IsSequential ? (completed < count ? 1 : 0) : locals[Active]!.GetValue<int>() - 1;
        bool done;
        try
        {
            // Evaluated at the instance, so the condition sees its element variable and loop counter as well as the counters.
            done = completed >= count
                || CompletionCondition is { } condition && instance.Session.Scripts.IsTrue(condition, instance.Scope);
        }
        catch (ElementFailedException)
        {
            body.Locals = before; // the instance stays, with an incident; a retry enters it again
            throw;
        }
        instance.End(output, $"Instance {index + 1} of {count} completed ({completed} done).");

        if (!done)
        {
            if (IsSequential) instance.ForToken(body).StartLoopInstance(index + 1, body.Loop?.Items?[index + 1], ElementVariable);
            return;
        }
        foreach (var other in instance.Run.State.Children(body).ToList())
            await instance.Session.CancelTokenAsync(instance.Run, other, completed >= count ? "All instances completed." : "The completion condition was met.", default);
        body.Loop = null;
        body.Locals = null;
        await instance.Session.ResumeAsync(instance.Run, body, null, default);
    }

    private JsonArray? Items(FlowContext context)
    {
        if (CollectionScript is not { } script) return null;
        return context.Evaluate(script) switch
        {
            JsonArray array => array,
            null => throw new ElementFailedException($"The collection '{Collection}' of '{context.Node.Id}' is null or not set; it must give a list."),
            var other => throw new ElementFailedException($"The collection '{Collection}' of '{context.Node.Id}' gave {other.ToJsonString()}, not a list."),
        };
    }

    private int Count(FlowContext context)
    {
        var text = Cardinality ?? "";
        if (int.TryParse(text.Trim(), out var literal) && literal >= 0) return literal;
        var value = ExpressionText.Body(text) is { } script ? context.Evaluate(script) : null;
        return value is JsonValue number && number.TryGetValue<double>(out var d) && d >= 0 && d == Math.Floor(d) && d <= int.MaxValue
            ? (int)d
            : throw new ElementFailedException($"The loop cardinality '{text}' of '{context.Node.Id}' gave {value?.ToJsonString() ?? "nothing"}, not a whole number of 0 or more.");
    }
}
