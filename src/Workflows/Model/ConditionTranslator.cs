using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Model;

/// <summary>The JavaScript a sequence flow's condition runs as, or the problem that stops it from running.</summary>
internal readonly record struct ConditionText(string? JavaScript, string? Problem);

/// <summary>
/// Turns a <c>conditionExpression</c> into the engine's JavaScript. Conditions are JavaScript inside <c>${…}</c>; files
/// from Camunda Modeler carry JUEL, so the simple JUEL forms (<c>not</c>, <c>and</c>, <c>or</c>, <c>eq</c>, <c>ne</c>,
/// <c>lt</c>, <c>gt</c>, <c>le</c>, <c>ge</c>, <c>empty</c>, comparisons of variables with literals) are translated;
/// anything else must already be JavaScript. The model stores the result, so publish and run time evaluate the same text.
/// </summary>
internal static partial class ConditionTranslator
{
    public const string Example = "${amount > 500 && status == 'open'}";
    private const string Forms = "not, and, or, eq, ne, lt, gt, le, ge, empty, and comparisons of variables with literals";

    /// <param name="text">The element's text.</param>
    /// <param name="language">Its <c>language</c> attribute, if any.</param>
    public static ConditionText Translate(string text, string? language)
    {
        var trimmed = text.Trim();
        if (language is not null && !language.Equals("javascript", StringComparison.OrdinalIgnoreCase)
            && !language.Equals("juel", StringComparison.OrdinalIgnoreCase))
            return Refuse($"The condition '{Shorten(trimmed)}' is in '{language}', which is not supported: conditions are JavaScript. Write it as JavaScript, e.g. {Example}.");
        if (trimmed.Length == 0)
            return Refuse($"The condition is empty; write a JavaScript condition such as {Example} or remove the condition.");

        var body = ExpressionText.Body(trimmed) ?? DeferredBody(trimmed);
        if (body is null)
        {
            if (language is not null && language.Equals("javascript", StringComparison.OrdinalIgnoreCase)) return AsJavaScript(trimmed, trimmed);
            return Refuse($"The condition '{Shorten(trimmed)}' is not an expression: conditions are JavaScript inside ${{…}}, e.g. {Example}.");
        }
        if (string.IsNullOrWhiteSpace(body))
            return Refuse($"The condition is empty; write a JavaScript condition such as {Example} or remove the condition.");
        if (ExecutionObject().IsMatch(body)) return RefuseExecution(trimmed);
        if (Juel.TryTranslate(body) is { } translated && ScriptEvaluator.SyntaxError(translated) is null)
            return new(translated, null);
        return AsJavaScript(body, trimmed);
    }

    private static ConditionText AsJavaScript(string script, string original)
    {
        if (ExecutionObject().IsMatch(script)) return RefuseExecution(original);
        if (ScriptEvaluator.SyntaxError(script) is null) return new(script, null);
        return Refuse($"Conditions are JavaScript: '{Shorten(original)}' is neither JavaScript nor a simple JUEL condition this engine translates ({Forms}). Write it as JavaScript, e.g. {Example}.");
    }

    private static ConditionText Refuse(string problem) => new(null, problem);

    private static ConditionText RefuseExecution(string original) =>
        Refuse($"The condition '{Shorten(original)}' uses Camunda's 'execution' object, which this engine does not have: conditions are JavaScript over the process variables, e.g. {Example}.");

    // JUEL's deferred syntax #{…} means the same as ${…} in a condition.
    private static string? DeferredBody(string text) =>
        text.Length >= 3 && text.StartsWith("#{", StringComparison.Ordinal) && text.EndsWith('}') ? text[2..^1] : null;

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120] + "…";

    [GeneratedRegex(@"(?<![\w$.'""])execution\s*\.")]
    private static partial Regex ExecutionObject();

    /// <summary>A recursive-descent reader for the JUEL subset; null when the text is anything else.</summary>
    private sealed class Juel
    {
        private enum Kind { Identifier, Keyword, Number, String, Symbol, End }
        private readonly record struct Token(Kind Kind, string Text);

        // JavaScript precedence of what is emitted, highest binds tightest (matches JUEL's order for these operators).
        private const int Or = 1, And = 2, Equality = 3, Relational = 4, Unary = 5, Primary = 6;

        private static readonly HashSet<string> Keywords =
            ["and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge", "empty", "true", "false", "null", "div", "mod", "instanceof"];

        private readonly List<Token> tokens;
        private int position;

        private Juel(List<Token> tokens) => this.tokens = tokens;

        public static string? TryTranslate(string body)
        {
            if (Tokenize(body) is not { } tokens) return null;
            var reader = new Juel(tokens);
            var result = reader.ReadOr();
            return result is not null && reader.Peek.Kind == Kind.End ? result.Value.Js : null;
        }

        private Token Peek => tokens[position];

        private bool Accept(params string[] texts)
        {
            if (Peek.Kind is not (Kind.Symbol or Kind.Keyword) || !texts.Contains(Peek.Text)) return false;
            position++;
            return true;
        }

        private static string Wrap((string Js, int Precedence) e, int atLeast) => e.Precedence >= atLeast ? e.Js : $"({e.Js})";

        private (string Js, int Precedence)? ReadOr()
        {
            if (ReadAnd() is not { } left) return null;
            while (Accept("||", "or"))
            {
                if (ReadAnd() is not { } right) return null;
                left = ($"{Wrap(left, Or)} || {Wrap(right, And)}", Or);
            }
            return left;
        }

        private (string Js, int Precedence)? ReadAnd()
        {
            if (ReadEquality() is not { } left) return null;
            while (Accept("&&", "and"))
            {
                if (ReadEquality() is not { } right) return null;
                left = ($"{Wrap(left, And)} && {Wrap(right, Equality)}", And);
            }
            return left;
        }

        // One comparison at most: JUEL would chain `a == b == c` on a boolean, which nobody means.
        private (string Js, int Precedence)? ReadEquality()
        {
            if (ReadRelational() is not { } left) return null;
            var op = Peek.Text switch { "==" or "eq" => "==", "!=" or "ne" => "!=", _ => null };
            if (op is null || Peek.Kind is not (Kind.Symbol or Kind.Keyword)) return left;
            position++;
            if (ReadRelational() is not { } right) return null;
            return ($"{Wrap(left, Relational)} {op} {Wrap(right, Relational)}", Equality);
        }

        private (string Js, int Precedence)? ReadRelational()
        {
            if (ReadUnary() is not { } left) return null;
            var op = Peek.Text switch { "<" or "lt" => "<", ">" or "gt" => ">", "<=" or "le" => "<=", ">=" or "ge" => ">=", _ => null };
            if (op is null || Peek.Kind is not (Kind.Symbol or Kind.Keyword)) return left;
            position++;
            if (ReadUnary() is not { } right) return null;
            return ($"{Wrap(left, Unary)} {op} {Wrap(right, Unary)}", Relational);
        }

        private (string Js, int Precedence)? ReadUnary()
        {
            if (Accept("!", "not")) return ReadUnary() is { } operand ? ($"!{Wrap(operand, Unary)}", Unary) : null;
            if (Accept("empty"))
            {
                if (ReadUnary() is not { } operand) return null;
                var x = Wrap(operand, Unary);
                return ($"({x} == null || {x} === '' || (typeof {x} === 'object' && Object.keys({x}).length === 0))", Primary);
            }
            return ReadPrimary();
        }

        private (string Js, int Precedence)? ReadPrimary()
        {
            var token = Peek;
            switch (token.Kind)
            {
                case Kind.Symbol when token.Text == "(":
                    position++;
                    if (ReadOr() is not { } inner || !Accept(")")) return null;
                    return inner.Precedence == Primary ? inner : ($"({inner.Js})", Primary);
                case Kind.Number:
                    position++;
                    return (token.Text, Primary);
                case Kind.String:
                    position++;
                    return (JsString(token.Text), Primary);
                case Kind.Keyword when token.Text is "true" or "false" or "null":
                    position++;
                    return (token.Text, Primary);
                case Kind.Identifier:
                    position++;
                    var path = new StringBuilder(token.Text);
                    while (Peek.Kind == Kind.Symbol && Peek.Text == "." && tokens[position + 1].Kind == Kind.Identifier)
                    {
                        path.Append('.').Append(tokens[position + 1].Text);
                        position += 2;
                    }
                    return (path.ToString(), Primary);
                default:
                    return null;
            }
        }

        private static string JsString(string value)
        {
            var s = new StringBuilder("'");
            foreach (var c in value)
                s.Append(c switch
                {
                    '\\' => @"\\",
                    '\'' => @"\'",
                    '\n' => @"\n",
                    '\r' => @"\r",
                    '\u2028' => @"\u2028",
                    '\u2029' => @"\u2029",
                    _ => c.ToString(),
                });
            return s.Append('\'').ToString();
        }

        private static List<Token>? Tokenize(string text)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }
                if (c is '\'' or '"')
                {
                    var value = new StringBuilder();
                    i++;
                    while (true)
                    {
                        if (i >= text.Length) return null;
                        if (text[i] == c)
                        {
                            i++;
                            break;
                        }
                        if (text[i] == '\\')
                        {
                            // JUEL knows only \\, \' and \" inside a string literal.
                            if (i + 1 >= text.Length || text[i + 1] is not ('\\' or '\'' or '"')) return null;
                            i++;
                        }
                        value.Append(text[i++]);
                    }
                    tokens.Add(new(Kind.String, value.ToString()));
                    continue;
                }
                if (char.IsAsciiDigit(c))
                {
                    var start = i;
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                    {
                        i++;
                        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    }
                    if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] is '_' or '$')) return null;
                    var number = text[start..i];
                    // A leading zero would be an octal literal (an error in strict mode).
                    if (number.Length > 1 && number[0] == '0' && number[1] != '.') number = decimal.Parse(number, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                    tokens.Add(new(Kind.Number, number));
                    continue;
                }
                if (char.IsAsciiLetter(c) || c is '_' or '$')
                {
                    var start = i;
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '$')) i++;
                    var word = text[start..i];
                    tokens.Add(new(Keywords.Contains(word) ? Kind.Keyword : Kind.Identifier, word));
                    continue;
                }
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    // `===` and `!==` are JavaScript, not JUEL: leave the text to the JavaScript path.
                    if (i + 2 < text.Length && text[i + 2] == '=') return null;
                    tokens.Add(new(Kind.Symbol, two));
                    i += 2;
                    continue;
                }
                if (c is '!' or '<' or '>' or '(' or ')' or '.')
                {
                    tokens.Add(new(Kind.Symbol, c.ToString()));
                    i++;
                    continue;
                }
                return null;
            }
            tokens.Add(new(Kind.End, ""));
            return tokens;
        }
    }
}
