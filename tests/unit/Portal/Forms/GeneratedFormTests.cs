using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Portal;
using Remediation.Portal.Forms;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows.Model;
using Xunit;
using M = Remediation.Portal.Forms.GeneratedForm.Messages;

namespace Remediation.UnitTests.Portal.Forms;

/// <summary>What a generated form (camunda:formData) accepts, refuses with the field's label, and stores as typed variables.</summary>
public sealed class GeneratedFormTests
{
    private static FormField Field(string id, string type, bool required = false, string? label = null, string? defaultValue = null, params string[] values) =>
        new(id, label, type, defaultValue, required, values);

    private static GeneratedFormValues Read(FormField field, string? posted) =>
        GeneratedForm.Read([field], posted is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { [field.Id] = posted });

    private static FieldProblem Refused(FormField field, string? posted)
    {
        var result = Read(field, posted);
        Assert.Empty(result.Variables);
        return Assert.Single(result.Problems);
    }

    [Theory]
    [InlineData("string")]
    [InlineData("long")]
    [InlineData("date")]
    [InlineData("enum")]
    public void Read_RefusesAnEmptyRequiredField_NamingItsLabel(string type)
    {
        var field = Field("outcome", type, required: true, label: "Outcome", values: "passed");

        foreach (var posted in new[] { null, "", "   " })
        {
            var problem = Refused(field, posted);
            Assert.Equal(("outcome", "Outcome", M.Required), (problem.FieldId, problem.Label, problem.Message));
        }
    }

    [Fact]
    public void Read_NamesTheFieldById_WhenItHasNoLabel()
    {
        Assert.Equal("notes", Refused(Field("notes", "string", required: true), "").Label);
    }

    [Fact]
    public void Read_StoresAnEmptyOptionalField_AsNull()
    {
        var result = Read(Field("notes", "string"), "  ");

        Assert.True(result.IsValid);
        Assert.Null(Assert.Contains("notes", result.Variables));
    }

    [Fact]
    public void Read_StoresAString_Trimmed()
    {
        Assert.Equal("Box dented", Read(Field("notes", "string"), "  Box dented ").Variables["notes"]);
    }

    [Fact]
    public void Read_RefusesAString_WithControlCharactersOrTooLong()
    {
        Assert.Equal(M.ControlCharacters, Refused(Field("notes", "string"), "a\u0007b").Message);
        var tooLong = Refused(Field("notes", "string"), new string('x', GeneratedForm.MaxTextLength + 1));
        Assert.Equal((M.TooLong, GeneratedForm.MaxTextLength), (tooLong.Message, tooLong.Limit));
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData(" 9000000000 ", 9_000_000_000L)]
    public void Read_StoresALong_AsANumber(string posted, long expected)
    {
        var value = Read(Field("units", "long"), posted).Variables["units"];

        Assert.IsType<long>(value);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("twelve")]
    [InlineData("1.5")]
    [InlineData("1,000")]
    [InlineData("99999999999999999999")]
    public void Read_RefusesALong_ThatIsNotAWholeNumber(string posted)
    {
        var problem = Refused(Field("units", "long", label: "Units"), posted);

        Assert.Equal(("Units", M.NotANumber), (problem.Label, problem.Message));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(null, false)]
    [InlineData("false", false)]
    public void Read_StoresABoolean_AsTrueOrFalse(string? posted, bool expected)
    {
        Assert.Equal(expected, Read(Field("inspected", "boolean"), posted).Variables["inspected"]);
    }

    [Fact]
    public void Read_RefusesARequiredBoolean_ThatIsNotTicked_AndAnythingButTrueOrFalse()
    {
        Assert.Equal(M.MustBeTicked, Refused(Field("inspected", "boolean", required: true, label: "Goods inspected"), null).Message);
        Assert.Equal(M.NotYesOrNo, Refused(Field("inspected", "boolean"), "yes please").Message);
        Assert.Equal(true, Read(Field("inspected", "boolean", required: true), "true").Variables["inspected"]);
    }

    [Theory]
    [InlineData("2026-11-29")]
    [InlineData("29/11/2026")]
    public void Read_StoresADate_AsAnIsoDate(string posted)
    {
        Assert.Equal("2026-11-29", Read(Field("checked", "date"), posted).Variables["checked"]);
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("tomorrow")]
    [InlineData("2026-11-29T10:00")]
    [InlineData("11/29/2026")]
    public void Read_RefusesABadDate(string posted)
    {
        var problem = Refused(Field("checked", "date", label: "Checked on"), posted);

        Assert.Equal(("Checked on", M.NotADate), (problem.Label, problem.Message));
    }

    [Fact]
    public void Read_StoresAnEnum_AsItsValueId_AndRefusesAValueNotInTheList()
    {
        var field = Field("outcome", "enum", label: "Outcome", values: ["passed", "failed"]);

        Assert.Equal("failed", Read(field, "failed").Variables["outcome"]);
        var problem = Refused(field, "Passed");
        Assert.Equal(("Outcome", M.NotInList), (problem.Label, problem.Message));
    }

    [Fact]
    public void Read_ReportsEveryBadField_AndIgnoresFieldsTheFormDoesNotDeclare()
    {
        FormField[] fields = [Field("outcome", "enum", required: true, values: "passed"), Field("units", "long"), Field("notes", "string")];

        var result = GeneratedForm.Read(fields, new Dictionary<string, string?> { ["units"] = "x", ["notes"] = "ok", ["withinAuthority"] = "true" });

        Assert.Equal(["outcome", "units"], result.Problems.Select(p => p.FieldId));
        Assert.Empty(result.Forged); // what a user can type by mistake is not audited
        Assert.False(result.Variables.ContainsKey("withinAuthority"));
    }

    [Fact]
    public void Forged_ListsTheValuesTheFormsOwnControlsCannotSend()
    {
        FormField[] fields = [Field("outcome", "enum", values: "passed"), Field("inspected", "boolean"), Field("notes", "string"), Field("units", "long")];

        var result = GeneratedForm.Read(fields, new Dictionary<string, string?>
            { ["outcome"] = "'; DROP TABLE", ["inspected"] = "1", ["notes"] = "a\u0000b", ["units"] = "x" });

        Assert.Equal(["outcome", "inspected", "notes"], result.Forged.Select(p => p.FieldId));
        Assert.Contains("'outcome'", result.ForgedDetail(Guid.Empty, "complaint C-2026-000001"));
    }

    [Fact]
    public void Initial_StartsEachFieldWithItsDefault_ADateAsTheDateInputWantsIt()
    {
        FormField[] fields =
        [
            Field("outcome", "enum", defaultValue: "passed", values: ["passed", "failed"]),
            Field("inspected", "boolean", defaultValue: "true"),
            Field("checked", "date", defaultValue: "29/11/2026"),
            Field("units", "long", defaultValue: "1"),
            Field("notes", "string"),
        ];

        var initial = GeneratedForm.Initial(fields);

        Assert.Equal(new Dictionary<string, string?> { ["outcome"] = "passed", ["inspected"] = "true", ["checked"] = "2026-11-29", ["units"] = "1", ["notes"] = null }, initial);
        // Posted back unchanged, the defaults are valid values of their types.
        Assert.Equal(new Dictionary<string, object?> { ["outcome"] = "passed", ["inspected"] = true, ["checked"] = "2026-11-29", ["units"] = 1L, ["notes"] = null },
            GeneratedForm.Read(fields, initial).Variables);
    }

    [Fact]
    public void Done_SaysWhoEnteredWhat_InTheReadersLanguage_WithLabelsTranslatedOnlyWhenATranslationExists()
    {
        var l = new CachingStringLocalizerFactory(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)).Create(typeof(SharedResource));
        var step = new GeneratedStep("Quality check",
        [
            Field("outcome", "enum", label: "Outcome", values: ["passed", "failed"]) with { ValueNames = new Dictionary<string, string> { ["failed"] = "Failed" } },
            Field("inspected", "boolean", label: "Goods inspected"),
            Field("units", "long", label: "Units"),
            Field("notes", "string", label: "Notes"),
        ]);
        const string written = """{"outcome":"failed","inspected":true,"units":3,"notes":null}""";
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Quality check by Ann: Outcome = Failed; Goods inspected = Yes; Units = 3", GeneratedForm.Done(step, "Ann", written, l));
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("Ann完成了Quality check:结果 = 失败; Goods inspected = 是; Units = 3", GeneratedForm.Done(step, "Ann", written, l));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
