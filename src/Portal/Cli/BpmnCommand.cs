using Remediation.Portal.Infrastructure;
using Remediation.Workflows;

namespace Remediation.Portal.Cli;

/// <summary>
/// <c>bpmn validate FILE.bpmn</c>: prints the problems a publish would report (except call activities, which need
/// the database) and exits 1 when there are any. Runs without the web host or the database.
/// </summary>
public static class BpmnCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "bpmn";

    public static int Run(string[] args, TextWriter output)
    {
        if (args is not ["bpmn", "validate", var file])
        {
            output.WriteLine("usage: bpmn validate FILE.bpmn");
            return 2;
        }
        // `dotnet run --project` starts the app in the project folder; PWD still names the caller's folder.
        if (!File.Exists(file) && !Path.IsPathRooted(file) && Environment.GetEnvironmentVariable("PWD") is { } callerFolder
            && File.Exists(Path.Combine(callerFolder, file)))
            file = Path.Combine(callerFolder, file);
        if (!File.Exists(file))
        {
            output.WriteLine($"{file}: file not found");
            return 2;
        }

        var services = new ServiceCollection().AddRemediationWorkflowCatalog().BuildServiceProvider();
        var limit = services.GetRequiredService<WorkflowOptions>().MaxDefinitionBytes;
        // Refuse a huge file before reading it into memory.
        var problems = new FileInfo(file).Length > limit
            ? [new Remediation.Workflows.Model.ValidationProblem(Remediation.Workflows.Model.BpmnParser.DocumentId, $"The file is larger than the limit of {limit:N0} bytes.")]
            : services.ValidateOffline(File.ReadAllText(file));

        foreach (var problem in problems) output.WriteLine($"{file}: {problem.ElementId}: {problem.Message}");
        output.WriteLine(problems.Count == 0 ? $"{file}: valid" : $"{file}: {problems.Count} problem(s)");
        return problems.Count == 0 ? 0 : 1;
    }
}
