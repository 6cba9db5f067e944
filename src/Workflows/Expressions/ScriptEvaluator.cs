using System.Text.Json.Nodes;
using Acornima;
using Jint;
using Jint.Native;
using Jint.Native.Json;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// Runs condition scripts in Jint with every limit set and no CLR access. Variables go in as a JSON
/// snapshot, so a script can never reach a live .NET object or change engine state.
/// </summary>
internal sealed class ScriptEvaluator(WorkflowOptions options)
{
    /// <summary>Null when the script parses, else what is wrong and where (column on the first line, else line and column).</summary>
    public static string? SyntaxError(string script)
    {
        try
        {
            new Parser().ParseScript(script);
            return null;
        }
        catch (ParseErrorException e)
        {
            var where = e.LineNumber <= 1 ? $"column {e.Column + 1}" : $"line {e.LineNumber}, column {e.Column + 1}";
            return $"{e.Description.TrimEnd('.')} at {where}";
        }
    }

    /// <exception cref="ElementFailedException">The script failed, threw, or hit a limit.</exception>
    public JsValue Evaluate(string script, JsonObject variables)
    {
        try
        {
            var engine = new Engine(o => o
                .Strict()
                .TimeoutInterval(options.ScriptTimeout)
                .MaxStatements(options.ScriptMaxStatements)
                .LimitRecursion(options.ScriptMaxRecursion)
                .LimitMemory(options.ScriptMaxMemoryBytes));
            var json = new JsonParser(engine);
            foreach (var (name, value) in variables)
                engine.SetValue(name, json.Parse(value?.ToJsonString() ?? "null"));
            return engine.Evaluate(script);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ElementFailedException($"Expression '{Shorten(script)}' failed: {e.Message}");
        }
    }

    public bool IsTrue(string script, JsonObject variables)
    {
        var value = Evaluate(script, variables);
        return value.IsBoolean() ? value.AsBoolean() : Jint.Runtime.TypeConverter.ToBoolean(value);
    }

    public string? AsText(string script, JsonObject variables)
    {
        var value = Evaluate(script, variables);
        return value.IsNull() || value.IsUndefined() ? null : Jint.Runtime.TypeConverter.ToString(value);
    }

    /// <summary>The script's value as JSON (a list becomes a JSON array); null for null or undefined.</summary>
    public JsonNode? AsJson(string script, JsonObject variables)
    {
        var value = Evaluate(script, variables);
        if (value.IsNull() || value.IsUndefined()) return null;
        try
        {
            return System.Text.Json.JsonSerializer.SerializeToNode(value.ToObject());
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new ElementFailedException($"Expression '{Shorten(script)}' gave a value that is not plain data ({value.Type}).");
        }
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
