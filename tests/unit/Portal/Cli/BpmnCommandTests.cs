using System.Text.Json;
using Xunit;
using Remediation.Portal.Cli;

namespace Remediation.UnitTests.Portal.Cli;

public sealed class BpmnCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bpmn-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Workflows", "Fixtures", name);

    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var code = BpmnCommand.Run(["bpmn", "validate", .. args], output);
        return (code, output.ToString());
    }

    private string Copy(string fixture, string to)
    {
        var path = Path.Combine(folder, to);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(FixturePath(fixture), path);
        return path;
    }

    [Fact]
    public void Validate_PrintsProblems_AndExitsNonZero_WhenDiagramHasUnsupportedElement()
    {
        var (code, output) = Run(FixturePath("business-rule.bpmn"));

        Assert.Equal(1, code);
        Assert.Contains("business-rule.bpmn: error: Decide_Eligibility: The element type 'businessRuleTask' is not supported", output);
    }

    [Fact]
    public void Validate_ExitsZero_WhenDiagramIsValid()
    {
        var (code, output) = Run(FixturePath("parallel.bpmn"));

        Assert.Equal(0, code);
        Assert.Contains("parallel.bpmn: valid", output);
    }

    [Fact]
    public void Validate_MarksWarnings_AndExitsZero_WhenFileHasOnlyWarnings()
    {
        var (code, output) = Run(FixturePath("exclusive-unconditioned.bpmn"));

        Assert.Equal(0, code);
        Assert.Contains("exclusive-unconditioned.bpmn: warning: Flow_other: This flow leaves gateway 'Gateway_big' without a condition", output);
        Assert.Contains("exclusive-unconditioned.bpmn: valid, 1 warning(s)", output);
    }

    [Fact]
    public void Validate_PrintsUsage_WhenArgumentsAreWrong()
    {
        var output = new StringWriter();
        Assert.Equal(2, BpmnCommand.Run(["bpmn", "check"], output));
        Assert.Contains("usage", output.ToString());
        Assert.Equal(2, BpmnCommand.Run(["bpmn", "validate"], output));
        Assert.Equal(2, BpmnCommand.Run(["bpmn", "validate", "--yaml", FixturePath("parallel.bpmn")], output));
    }

    [Fact]
    public void Validate_ReportsEachFile_AndASummary_WhenGivenSeveralFiles()
    {
        // Given a valid file and an invalid one, When both are validated in one run, Then each file's lines, then a summary, and exit 1.
        var valid = FixturePath("parallel.bpmn");
        var invalid = FixturePath("business-rule.bpmn");

        var (code, output) = Run(valid, invalid);

        Assert.Equal(1, code);
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal($"{valid}: valid", lines[0]);
        Assert.StartsWith($"{invalid}: error: Decide_Eligibility:", lines[1]);
        Assert.Equal($"{invalid}: 1 error(s), 0 warning(s)", lines[2]);
        Assert.Equal("2 file(s): 1 valid, 1 with errors; 1 error(s), 0 warning(s)", lines[^1]);
    }

    [Fact]
    public void Validate_RecursesIntoFolder_ForBpmnFilesOnly()
    {
        Copy("parallel.bpmn", "a.bpmn");
        Copy("terminate.bpmn", Path.Combine("nested", "deeper", "b.BPMN"));
        Copy("business-rule.bpmn", Path.Combine("nested", "c.xml"));

        var (code, output) = Run(folder);

        Assert.Equal(0, code);
        Assert.Contains($"{Path.Combine(folder, "a.bpmn")}: valid", output);
        Assert.Contains($"{Path.Combine(folder, "nested", "deeper", "b.BPMN")}: valid", output);
        Assert.DoesNotContain("c.xml", output);
        Assert.Contains("2 file(s): 2 valid, 0 with errors", output);
    }

    [Fact]
    public void Validate_ExitsOne_WhenAnyFileInFolderHasErrors()
    {
        Copy("parallel.bpmn", "ok.bpmn");
        Copy("with-doctype.bpmn", Path.Combine("sub", "dtd.bpmn"));

        var (code, output) = Run(folder);

        Assert.Equal(1, code);
        Assert.Contains("error: (document): The file contains a DTD (<!DOCTYPE …>), which is not allowed", output);
        Assert.DoesNotContain("DtdProcessing", output);
    }

    [Fact]
    public void Validate_ExitsTwo_WhenAPathHoldsNoBpmnFile()
    {
        var (code, output) = Run(FixturePath("parallel.bpmn"), Path.Combine(folder, "missing.bpmn"), folder);

        Assert.Equal(2, code);
        Assert.Contains("missing.bpmn: error: (document): File or folder not found.", output);
        Assert.Contains($"{folder}: error: (document): The folder holds no .bpmn file.", output);
    }

    [Fact]
    public void Validate_PrintsJsonPerFile_WhenAskedForJson()
    {
        // Given an invalid, a warning-only and a valid file, When validated with --json, Then one JSON document with each file's path, validity and problems.
        var invalid = Copy("business-rule.bpmn", "1-invalid.bpmn");
        var warned = Copy("exclusive-unconditioned.bpmn", "2-warned.bpmn");
        var valid = Copy("parallel.bpmn", "3-valid.bpmn");

        var (code, output) = Run("--json", folder);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal([invalid, warned, valid], files.Select(f => f.GetProperty("path").GetString()));
        Assert.Equal([false, true, true], files.Select(f => f.GetProperty("valid").GetBoolean()));
        var problem = files[0].GetProperty("problems").EnumerateArray().Single();
        Assert.Equal("Decide_Eligibility", problem.GetProperty("elementId").GetString());
        Assert.Equal("error", problem.GetProperty("severity").GetString());
        Assert.Contains("'businessRuleTask' is not supported", problem.GetProperty("message").GetString());
        Assert.Equal("warning", files[1].GetProperty("problems")[0].GetProperty("severity").GetString());
        Assert.Empty(files[2].GetProperty("problems").EnumerateArray());
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal((3, 2, 1, 1, 1), (summary.GetProperty("files").GetInt32(), summary.GetProperty("valid").GetInt32(),
            summary.GetProperty("invalid").GetInt32(), summary.GetProperty("errors").GetInt32(), summary.GetProperty("warnings").GetInt32()));
    }
}
