namespace Remediation.Workflows.Runtime;

/// <summary>Camunda-style <c>${…}</c> text: the body is JavaScript.</summary>
internal static class ExpressionText
{
    /// <summary>The JavaScript inside <c>${…}</c>, or null when the text is a literal.</summary>
    public static string? Body(string? text)
    {
        if (text is null) return null;
        var t = text.Trim();
        return t.Length >= 3 && t.StartsWith("${", StringComparison.Ordinal) && t.EndsWith('}') ? t[2..^1] : null;
    }
}
