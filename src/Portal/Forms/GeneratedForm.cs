using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Portal.Data;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Forms;

/// <summary>What a generated form posts: the task, the command id (a double post is a replay) and the values by field id.</summary>
public sealed class GeneratedFormInput
{
    public Guid TaskId { get; set; }
    public string CommandId { get; set; } = "";
    public Dictionary<string, string?> Fields { get; set; } = [];
}

/// <summary>The fields of a generated form and what is in them (the defaults on a new form, the posted values after a refusal).</summary>
public sealed record GeneratedFormView(IReadOnlyList<FormField> Fields, GeneratedFormInput Input);

/// <summary>A field's value refused: <see cref="Message"/> is the English resource key, its {0} the field's label, its {1} <see cref="Limit"/>.</summary>
public sealed record FieldProblem(string FieldId, string Label, string Message, int? Limit = null)
{
    public string Text(IStringLocalizer l) => l[Message, l[Label].Value, Limit ?? 0].Value;
}

/// <summary>The posted form read against its fields: the typed process variables, or the problems (nothing is saved then).</summary>
public sealed record GeneratedFormValues(IReadOnlyDictionary<string, object?> Variables, IReadOnlyList<FieldProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>Values the form's own controls cannot send (a list value not in the list, a checkbox neither true nor false,
    /// control characters): a forged post, refused like any problem and also audited (<c>RejectedInput</c>).</summary>
    public IReadOnlyList<FieldProblem> Forged =>
        Problems.Where(p => p.Message is GeneratedForm.Messages.NotInList or GeneratedForm.Messages.NotYesOrNo or GeneratedForm.Messages.ControlCharacters).ToList();

    /// <summary>The audit detail of <see cref="Forged"/>: which fields of which task.</summary>
    public string ForgedDetail(Guid taskId, string of) =>
        $"{of} task {taskId}: generated form fields {string.Join(", ", Forged.Select(p => $"'{p.FieldId}' ({p.Message})"))}";
}

/// <summary>
/// The portal's form for a user task with <c>camunda:formData</c> and no form key of its own (docs/studio.md, "Generated
/// forms"): the one place that reads and checks what such a form posts, gives its initial values and says what was entered.
/// A string is stored trimmed, a long as a number, a boolean as true/false, a date as an ISO date (<c>2026-11-29</c>), an enum
/// as its value id; an empty field as null. Types the portal does not know are read as strings.
/// </summary>
public static class GeneratedForm
{
    public const int MaxTextLength = 2000;

    public static class Messages
    {
        public const string Required = "{0} is required.";
        public const string MustBeTicked = "{0} must be ticked.";
        public const string NotYesOrNo = "{0} must be yes or no.";
        public const string NotANumber = "{0} must be a whole number.";
        public const string NotADate = "{0} must be a date (year-month-day).";
        public const string NotInList = "{0} must be one of the listed values.";
        public const string TooLong = "{0} must be at most {1} characters.";
        public const string ControlCharacters = DomainMessages.ControlCharacters;
    }

    /// <summary>True for a task the portal shows with a generated form: a user task without a purpose-made form key.</summary>
    public static bool IsGenerated(string? formKey) => formKey is null;

    /// <summary>The label as the admin wrote it (the id when there is none); pages translate it when a translation exists.</summary>
    public static string LabelOf(FormField field) => string.IsNullOrWhiteSpace(field.Label) ? field.Id : field.Label;

    /// <summary>An enum value's name as written (its id when it has none).</summary>
    public static string NameOf(FormField field, string valueId) => field.ValueNames.GetValueOrDefault(valueId, valueId);

    /// <summary>The fields stored on a work item (<see cref="WorkItem.FormFieldsJson"/>).</summary>
    public static IReadOnlyList<FormField> FieldsOf(string? formFieldsJson) =>
        formFieldsJson is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<FormField>>(formFieldsJson) ?? [];

    /// <summary>The ModelState key of a field, under which its problem is shown.</summary>
    public static string Key(string fieldId) => $"Form.Fields[{fieldId}]";

    /// <summary>A new form for <paramref name="task"/>: its fields with their defaults.</summary>
    public static GeneratedFormView NewForm(WorkItem task, string commandId)
    {
        var fields = FieldsOf(task.FormFieldsJson);
        return new(fields, new GeneratedFormInput { TaskId = task.Id, CommandId = commandId, Fields = Initial(fields) });
    }

    /// <summary>The timeline's line for a completed generated step: "Quality check by Ann: Outcome = Passed; Notes = …".</summary>
    public static string Done(GeneratedStep step, string? who, string? variablesJson, IStringLocalizer l)
    {
        var summary = Summary(step.Fields, variablesJson, l);
        var name = l[step.Name].Value;
        return who is null ? l["Done: {0}", name].Value + (summary.Length > 0 ? " — " + summary : "")
            : summary.Length > 0 ? l["{0} by {1}: {2}", name, who, summary].Value : l["{0} by {1}", name, who].Value;
    }

    /// <summary>The values a new form starts with: each field's <c>defaultValue</c>, a date as <c>yyyy-MM-dd</c> for the date input.</summary>
    public static Dictionary<string, string?> Initial(IReadOnlyList<FormField> fields) =>
        fields.ToDictionary(f => f.Id, f => f.Type == "date" && TryDate(f.DefaultValue, out var date) ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : f.DefaultValue);

    /// <summary>Reads the posted values of the declared fields (anything else posted is ignored).</summary>
    public static GeneratedFormValues Read(IReadOnlyList<FormField> fields, IReadOnlyDictionary<string, string?> posted)
    {
        var variables = new Dictionary<string, object?>();
        var problems = new List<FieldProblem>();
        foreach (var field in fields)
        {
            var text = posted.GetValueOrDefault(field.Id)?.Trim();
            if (text is { Length: 0 }) text = null;
            var label = LabelOf(field);
            FieldProblem Problem(string message, int? limit = null) => new(field.Id, label, message, limit);

            if (field.Type == "boolean")
            {
                // A checkbox: ticked posts "true", unticked posts nothing; required means it must be ticked.
                if (text is not (null or "true" or "false")) problems.Add(Problem(Messages.NotYesOrNo));
                else if (field.Required && text != "true") problems.Add(Problem(Messages.MustBeTicked));
                else variables[field.Id] = text == "true";
                continue;
            }
            if (text is null)
            {
                if (field.Required) problems.Add(Problem(Messages.Required));
                else variables[field.Id] = null;
                continue;
            }
            switch (field.Type)
            {
                case "long":
                    if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) variables[field.Id] = number;
                    else problems.Add(Problem(Messages.NotANumber));
                    break;
                case "date":
                    if (TryDate(text, out var date)) variables[field.Id] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    else problems.Add(Problem(Messages.NotADate));
                    break;
                case "enum":
                    if (field.Values.Contains(text)) variables[field.Id] = text;
                    else problems.Add(Problem(Messages.NotInList));
                    break;
                default:
                    if (text.Length > MaxTextLength) problems.Add(Problem(Messages.TooLong, MaxTextLength));
                    else if (!PlainText.IsClean(text, multiLine: false)) problems.Add(Problem(Messages.ControlCharacters));
                    else variables[field.Id] = text;
                    break;
            }
        }
        return new(variables, problems);
    }

    /// <summary>What was entered, for the timeline: "label = value; …" in the reader's language, empty fields left out.</summary>
    internal static string Summary(IReadOnlyList<FormField> fields, string? variablesJson, IStringLocalizer l)
    {
        var values = variablesJson is null ? null : JsonNode.Parse(variablesJson) as JsonObject;
        if (values is null) return "";
        return string.Join("; ", fields
            .Where(f => values[f.Id] is JsonValue)
            .Select(f => $"{l[LabelOf(f)].Value} = {Display(f, (JsonValue)values[f.Id]!, l)}"));
    }

    private static string Display(FormField field, JsonValue value, IStringLocalizer l) => field.Type switch
    {
        "boolean" when value.TryGetValue<bool>(out var yes) => l[yes ? "Yes" : "No"].Value,
        "enum" => l[NameOf(field, value.ToString())].Value,
        "date" when TryDate(value.ToString(), out var date) => date.ToString("d", CultureInfo.CurrentCulture),
        _ => value.ToString(),
    };

    /// <summary>An ISO date (what the date input posts), or Camunda's <c>dd/MM/yyyy</c> (how its forms write a default).</summary>
    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>
    /// The generated steps of the instances about <paramref name="businessKey"/> (a complaint's reference, a review's key):
    /// their names and fields by element id, for the timeline's names and what was entered.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, GeneratedStep>> StepsAsync(RemediationDbContext db, string businessKey, CancellationToken ct)
    {
        var rows = await db.Set<WorkItem>().AsNoTracking()
            .Where(w => db.Set<WorkflowInstance>().Where(i => i.BusinessKey == businessKey).Select(i => i.Id).Contains(w.InstanceId)
                && w.FormKey == null)
            .Select(w => new { w.ElementId, w.Name, w.FormFieldsJson }).ToListAsync(ct);
        return rows.GroupBy(r => r.ElementId).ToDictionary(g => g.Key, g => new GeneratedStep(g.First().Name ?? g.Key, FieldsOf(g.First().FormFieldsJson)));
    }
}

/// <summary>A generated step as the timeline names it: the BPMN name as written (the id when it has none) and its fields.</summary>
public sealed record GeneratedStep(string Name, IReadOnlyList<FormField> Fields);
