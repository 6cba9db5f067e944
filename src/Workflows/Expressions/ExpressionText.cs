using System.Text.RegularExpressions;

namespace Remediation.Workflows.Runtime;

/// <summary>Camunda-style <c>${…}</c> text: the body is JavaScript. A text may also mix literal parts and expressions (<c>kermit_${loopCounter}</c>).</summary>
internal static partial class ExpressionText
{
    /// <summary>The JavaScript inside <c>${…}</c>, or null when the text is a literal.</summary>
    public static string? Body(string? text)
    {
        if (text is null) return null;
        var t = text.Trim();
        return t.Length >= 3 && t.StartsWith("${", StringComparison.Ordinal) && t.EndsWith('}') && t.IndexOf("${", 2, StringComparison.Ordinal) < 0 ? t[2..^1] : null;
    }

    /// <summary>The JavaScript of every <c>${…}</c> in the text (one for a whole expression, none for a literal).</summary>
    public static IEnumerable<string> Bodies(string? text) =>
        text is null ? [] : Body(text) is { } whole ? [whole] : Embedded().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The text with each embedded <c>${…}</c> replaced by what <paramref name="evaluate"/> gives for it.</summary>
    public static string Fill(string text, Func<string, string?> evaluate) =>
        Embedded().Replace(text, m => evaluate(m.Groups[1].Value) ?? "");

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Embedded();
}
