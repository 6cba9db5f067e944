using System.Text.RegularExpressions;

namespace Remediation.Domain.Replies;

/// <summary>The text fields a canned reply is written for: the six complaint steps, the review reply, the message to the
/// customer, and a supervisor's notes (resolving a work order, handling an escalation).</summary>
public enum ReplyStep
{
    Vent,
    Apologise,
    Probe,
    Propose,
    Confirm,
    FollowUp,
    ReviewReply,
    CustomerMessage,
    SupervisorNotes,
}

/// <summary>
/// A canned reply (话术模板): text an admin prepares for one step and one language, with placeholders the portal fills
/// from the case when a handler inserts it. Only the placeholders in <see cref="ReplyPlaceholders.Known"/> are allowed,
/// so a typo (<c>{custmer}</c>) is refused when the template is saved, not discovered in front of a customer.
/// </summary>
public sealed class ReplyTemplate
{
    public const int NameMaxLength = 80;
    public const int TextMaxLength = 1000;
    public static readonly IReadOnlyList<string> Languages = ["en", "zh-Hans"];

    public Guid Id { get; private set; }
    public ReplyStep Step { get; private set; }
    /// <summary><c>en</c> or <c>zh-Hans</c>, as the portal's UI cultures.</summary>
    public string Language { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public string Text { get; private set; } = null!;
    public DateTimeOffset ChangedAt { get; private set; }
    public string ChangedBy { get; private set; } = null!;

    private ReplyTemplate() { }

    public static ReplyTemplate Create(ReplyStep step, string language, string name, string text, string changedBy, DateTimeOffset now)
    {
        var template = new ReplyTemplate { Id = Guid.NewGuid() };
        template.Change(step, language, name, text, changedBy, now);
        return template;
    }

    public void Change(ReplyStep step, string language, string name, string text, string changedBy, DateTimeOffset now)
    {
        var checkedStep = Guard.Defined(step, DomainFields.Step);
        var checkedLanguage = Languages.FirstOrDefault(l => string.Equals(l, language?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new DomainException(DomainRules.OutOfRange, DomainMessages.UnknownValue, new DomainText(DomainFields.Language), language);
        var checkedName = Guard.Required(name, DomainFields.Name, NameMaxLength, multiLine: false);
        var checkedText = Guard.Required(text, DomainFields.TemplateText, TextMaxLength);
        ReplyPlaceholders.RequireKnown(checkedText);
        (Step, Language, Name, Text) = (checkedStep, checkedLanguage, checkedName, checkedText);
        ChangedBy = Guard.Required(changedBy, DomainFields.RecordedBy, 450);
        ChangedAt = now;
    }

    /// <summary>The text with every placeholder whose value is known replaced (<see cref="ReplyPlaceholders.Fill"/>).</summary>
    public string FillIn(ReplyValues values) => ReplyPlaceholders.Fill(Text, values);
}

/// <summary>What the placeholders stand for on one case; null or blank when the case does not know it (yet).</summary>
public sealed record ReplyValues(string? Customer, string? Reference, string? Amount, string? Handler)
{
    public string? this[string placeholder] => placeholder switch
    {
        ReplyPlaceholders.Customer => Customer,
        ReplyPlaceholders.Reference => Reference,
        ReplyPlaceholders.Amount => Amount,
        ReplyPlaceholders.Handler => Handler,
        _ => null,
    };
}

/// <summary>Placeholders are a name in braces, <c>{customer}</c>; a brace that does not open one is plain text.</summary>
public static partial class ReplyPlaceholders
{
    public const string Customer = "customer";
    public const string Reference = "reference";
    public const string Amount = "amount";
    public const string Handler = "handler";
    public static readonly IReadOnlyList<string> Known = [Customer, Reference, Amount, Handler];

    /// <summary>The names in braces in <paramref name="text"/>, in order of first use, known or not.</summary>
    public static IReadOnlyList<string> Parse(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>Refuses text that names a placeholder other than <see cref="Known"/>, naming the first unknown one.</summary>
    public static void RequireKnown(string text)
    {
        if (Parse(text).FirstOrDefault(p => !Known.Contains(p)) is { } unknown)
            throw new DomainException(DomainRules.InvalidFormat, DomainMessages.UnknownPlaceholder, "{" + unknown + "}",
                string.Join(", ", Known.Select(k => "{" + k + "}")));
    }

    /// <summary>Replaces each known placeholder that has a value; one without a value stays as written, so the handler sees it.</summary>
    public static string Fill(string text, ReplyValues values) => Placeholder().Replace(text, m =>
        values[m.Groups[1].Value] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : m.Value);

    // A name: a letter then letters, digits, '_' or '-', within braces and nothing else (so "{ }" or "{a b}" is text).
    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_-]*)\}")]
    private static partial Regex Placeholder();
}
