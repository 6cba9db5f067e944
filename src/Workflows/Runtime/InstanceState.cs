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
