using System.Text.Encodings.Web;
using System.Text.Json;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Model;

namespace Remediation.Portal.Cli;

/// <summary>
/// <c>bpmn validate [--json] PATH...</c>: validates BPMN files, and every <c>*.bpmn</c> under a folder, in one process;
/// prints each file's problems (errors block publish, warnings do not) and a summary, or one JSON document with
/// <c>--json</c>. Exits 1 when any file has an error, 2 on wrong arguments or a path that holds no BPMN file. Runs without
/// the web host or the database, so call activities are checked at publish only.
/// </summary>
public static class BpmnCommand
{
    private const string Usage = "usage: bpmn validate [--json] FILE.bpmn|FOLDER...";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Console output, not HTML: keep Chinese names and quotes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "bpmn";

    public static int Run(string[] args, TextWriter output)
    {
        if (args is not ["bpmn", "validate", .. var rest] || rest.Length == 0)
        {
            output.WriteLine(Usage);
            return 2;
        }
        var json = rest.Contains("--json");
        var paths = rest.Where(a => a != "--json").ToList();
        if (paths.Count == 0 || paths.Any(p => p.StartsWith("--", StringComparison.Ordinal)))
        {
            output.WriteLine(Usage);
            return 2;
        }

        using var services = new ServiceCollection().AddRemediationWorkflowCatalog().BuildServiceProvider();
        var limit = services.GetRequiredService<WorkflowOptions>().MaxDefinitionBytes;
        var reports = new List<FileReport>();
        var missing = false;
        foreach (var path in paths)
        {
            var files = Expand(path);
            if (files.Count == 0)
            {
                missing = true;
                reports.Add(new(path, [new(BpmnParser.DocumentId, Directory.Exists(Resolve(path)) ? "The folder holds no .bpmn file." : "File or folder not found.")]));
                continue;
            }
            foreach (var (shown, file) in files) reports.Add(new(shown, Validate(services, file, limit)));
        }

        if (json) WriteJson(reports, output);
        else WriteText(reports, output);
        return missing ? 2 : reports.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private sealed record FileReport(string Path, IReadOnlyList<ValidationProblem> Problems)
    {
        public int Errors => Problems.Count(p => p.IsError);
        public int Warnings => Problems.Count - Errors;
    }

    private static IReadOnlyList<ValidationProblem> Validate(IServiceProvider services, string file, long limit)
    {
        try
        {
            // Refuse a huge file before reading it into memory.
            if (new FileInfo(file).Length > limit)
                return [new(BpmnParser.DocumentId, $"The file is larger than the limit of {limit:N0} bytes.")];
            return services.ValidateOffline(File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [new(BpmnParser.DocumentId, "The file cannot be read (permissions, or it is in use).")];
        }
    }

    // `dotnet run --project` starts the app in the project folder; PWD still names the caller's folder.
    private static string Resolve(string path)
    {
        if (File.Exists(path) || Directory.Exists(path) || Path.IsPathRooted(path)) return path;
        return Environment.GetEnvironmentVariable("PWD") is { } callerFolder && Path.Combine(callerFolder, path) is var inCaller
            && (File.Exists(inCaller) || Directory.Exists(inCaller)) ? inCaller : path;
    }

    /// <summary>The files a path names, each with the path to print (as the caller wrote it): a file, or a folder's *.bpmn files, recursively, in name order.</summary>
    private static List<(string Shown, string File)> Expand(string path)
    {
        var resolved = Resolve(path);
        if (File.Exists(resolved)) return [(path, resolved)];
        if (!Directory.Exists(resolved)) return [];
        var options = new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(resolved, "*.bpmn", options)
            .Select(f => (Shown: Path.Combine(path, Path.GetRelativePath(resolved, f)), File: f))
            .OrderBy(f => f.Shown, StringComparer.Ordinal)
            .ToList();
    }

    private static void WriteText(List<FileReport> reports, TextWriter output)
    {
        foreach (var report in reports)
        {
            foreach (var problem in report.Problems)
                output.WriteLine($"{report.Path}: {(problem.IsError ? "error" : "warning")}: {problem.ElementId}: {problem.Message}");
            output.WriteLine(report switch
            {
                { Errors: 0, Warnings: 0 } => $"{report.Path}: valid",
                { Errors: 0 } => $"{report.Path}: valid, {report.Warnings} warning(s)",
                _ => $"{report.Path}: {report.Errors} error(s), {report.Warnings} warning(s)",
            });
        }
        var invalid = reports.Count(r => r.Errors > 0);
        output.WriteLine($"{reports.Count} file(s): {reports.Count - invalid} valid, {invalid} with errors; "
            + $"{reports.Sum(r => r.Errors)} error(s), {reports.Sum(r => r.Warnings)} warning(s)");
    }

    private static void WriteJson(List<FileReport> reports, TextWriter output)
    {
        var document = new
        {
            files = reports.Select(r => new
            {
                path = r.Path,
                valid = r.Errors == 0,
                problems = r.Problems.Select(p => new { elementId = p.ElementId, severity = p.IsError ? "error" : "warning", message = p.Message }),
            }),
            summary = new
            {
                files = reports.Count,
                valid = reports.Count(r => r.Errors == 0),
                invalid = reports.Count(r => r.Errors > 0),
                errors = reports.Sum(r => r.Errors),
                warnings = reports.Sum(r => r.Warnings),
            },
        };
        output.WriteLine(JsonSerializer.Serialize(document, Json));
    }
}
