using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Remediation.Workflows.Runtime;

internal enum TokenStatus { Active, Waiting, Joining, Incident }

/// <summary>A token: where a path of the instance currently is.</summary>
internal sealed class Token
{
    public string Id { get; set; } = "";
    public string ElementId { get; set; } = "";
    /// <summary>The flow it arrived by (joins count tokens per incoming flow).</summary>
    public string? ArrivedVia { get; set; }
    public TokenStatus Status { get; set; }
    /// <summary>The token whose scope this one runs in: a multi-instance body for its instances, a sub-process for the tokens inside it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ParentId { get; set; }
    /// <summary>Variables of this scope only (a multi-instance body's counters, an instance's element variable and loop counter).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Locals { get; set; }
    /// <summary>Set on a multi-instance body: the items its sequential instances have still to take.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoopState? Loop { get; set; }
}

/// <summary>What a multi-instance body keeps besides its counters (<see cref="Token.Locals"/>).</summary>
internal sealed class LoopState
{
    /// <summary>The collection as evaluated on entry (sequential only; null for a cardinality).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Items { get; set; }
}

/// <summary>The versioned JSON part of an instance: tokens and variables.</summary>
internal sealed class InstanceState
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public int SchemaVersion { get; set; } = 1;
    public List<Token> Tokens { get; set; } = [];
    public JsonObject Variables { get; set; } = [];
    /// <summary>How often a token entered each service task, for idempotency keys that differ per visit.</summary>
    public Dictionary<string, int> Visits { get; set; } = [];

    public static InstanceState Parse(string json) => JsonSerializer.Deserialize<InstanceState>(json, Json) ?? new();
    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public Token? Find(string? id) => id is null ? null : Tokens.Find(t => t.Id == id);

    /// <summary>True for one instance of a multi-instance activity (its parent is the body waiting at the same element).</summary>
    public bool IsLoopInstance(Token token) => Find(token.ParentId) is { Loop: not null } parent && parent.ElementId == token.ElementId;

    /// <summary>The tokens running in <paramref name="scope"/>'s scope (one level down).</summary>
    public IEnumerable<Token> Children(Token scope) => Tokens.Where(t => t.ParentId == scope.Id);

    /// <summary>True when <paramref name="token"/> runs inside <paramref name="scopeId"/>, at any depth (null: the process, which holds every token).</summary>
    public bool IsWithin(Token token, string? scopeId)
    {
        if (scopeId is null) return true;
        for (var t = token; t.ParentId is not null; t = Find(t.ParentId)!)
            if (t.ParentId == scopeId) return true;
        return false;
    }

    /// <summary>
    /// The variables an expression at <paramref name="token"/> sees: the process variables overlaid with the locals of every scope
    /// the token runs in (innermost wins). Without locals that is the process variables themselves, not a copy.
    /// </summary>
    public JsonObject View(Token token)
    {
        var chain = new List<JsonObject>();
        for (var t = token; t is not null; t = Find(t.ParentId))
            if (t.Locals is { Count: > 0 } locals) chain.Add(locals);
        if (chain.Count == 0) return Variables;
        var view = (JsonObject)Variables.DeepClone();
        for (var i = chain.Count - 1; i >= 0; i--) Runtime.Variables.Merge(view, chain[i]);
        return view;
    }

    /// <summary>Sets variables from <paramref name="token"/> (null: on the process) (the multi-instance counters are the engine's and are never set from outside): a name held as a local by the token or a scope it runs in is set there, any other on the process (as Camunda 7 propagates a variable up to the scope that has it).</summary>
    public void Set(Token? token, JsonObject? changes)
    {
        if (changes is null) return;
        foreach (var (key, value) in changes)
        {
            if (Elements.MultiInstanceLoop.CounterNames.Contains(key)) continue;
            var holder = Variables;
            for (var t = token; t is not null; t = Find(t.ParentId))
                if (t.Locals?.ContainsKey(key) == true)
                {
                    holder = t.Locals;
                    break;
                }
            holder[key] = value?.DeepClone();
        }
    }

    /// <summary>The elements where a token is (each once), as <see cref="InstanceView.ActiveElementIds"/> reports them.</summary>
    public List<string> ActiveElementIds() => Tokens.Select(t => t.ElementId).Distinct().ToList();
}

/// <summary>
/// For a host that reads a <c>WfInstances</c> row in its own query (the case page, with the rest of the page's reads on
/// one connection) instead of through <see cref="IWorkflowRuntime.GetInstanceAsync"/>.
/// </summary>
public static class InstanceStateJson
{
    public static IReadOnlyList<string> ActiveElementIds(string stateJson) => InstanceState.Parse(stateJson).ActiveElementIds();
}

/// <summary>An element could not run (expression failed, no path, step limit): the token stops and an incident is raised.</summary>
public sealed class ElementFailedException(string message) : Exception(message);

internal static class Variables
{
    public static JsonObject ToJson(IReadOnlyDictionary<string, object?>? values)
    {
        var result = new JsonObject();
        if (values is null) return result;
        foreach (var (key, value) in values)
            result[key] = value is JsonNode node ? node.DeepClone() : JsonSerializer.SerializeToNode(value);
        return result;
    }

    public static void Merge(JsonObject target, JsonObject? changes)
    {
        if (changes is null) return;
        foreach (var (key, value) in changes) target[key] = value?.DeepClone();
    }

    public static IReadOnlyDictionary<string, object?> ToDictionary(JsonObject values) =>
        values.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone());
}
