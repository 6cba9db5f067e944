using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace Remediation.Workflows.Model;

public enum TimerKind { Duration, Date, Cycle }

/// <summary>A timer definition: <c>timeDuration</c> (PT4H), <c>timeDate</c> (ISO date) or <c>timeCycle</c> (R3/PT1H, R/PT1H).</summary>
public sealed partial record TimerSpec(TimerKind Kind, string Text)
{
    /// <summary>The JavaScript of a <c>${…}</c> timer (evaluated when the timer is armed), or null for a literal.</summary>
    public string? Expression => Runtime.ExpressionText.Body(Text);

    /// <summary>Null when the text is valid (an expression is checked when it is evaluated), else what is wrong with it.</summary>
    public string? Problem => Expression is not null ? null : Kind switch
    {
        TimerKind.Duration => TryDuration(Text, out _) ? null : $"'{Text}' is not an ISO 8601 duration such as PT4H or P2D.",
        TimerKind.Date => TryDate(Text, out _) ? null : $"'{Text}' is not an ISO 8601 date such as 2026-01-31T09:00:00Z.",
        _ => TryCycle(Text, out _, out _) ? null : $"'{Text}' is not a supported cycle; use R<n>/<duration> (e.g. R3/PT1H) or R/<duration>.",
    };

    /// <summary>The first due time after <paramref name="now"/>.</summary>
    public DateTime FirstDue(DateTime now) => Kind switch
    {
        TimerKind.Duration => TryDuration(Text, out var d) ? now + d : throw Invalid(),
        TimerKind.Date => TryDate(Text, out var at) ? at : throw Invalid(),
        _ => TryCycle(Text, out _, out var interval) ? now + interval : throw Invalid(),
    };

    /// <summary>For a cycle: the occurrences left after the first (-1 = unbounded) and the interval text.</summary>
    public (int Remaining, string? Interval) Repetition()
    {
        if (Kind != TimerKind.Cycle || !TryCycle(Text, out var count, out _)) return (0, null);
        return (count < 0 ? -1 : count - 1, Text[(Text.IndexOf('/') + 1)..].Trim());
    }

    private InvalidOperationException Invalid() => new(Problem);

    public static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (!text.StartsWith('P') && !text.StartsWith("-P", StringComparison.Ordinal)) return false;
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static bool TryDate(string text, out DateTime at)
    {
        var ok = DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value);
        at = ok ? value.UtcDateTime : default;
        return ok;
    }

    private static bool TryCycle(string text, out int count, out TimeSpan interval)
    {
        count = 0;
        interval = default;
        var match = CycleRegex().Match(text.Trim());
        if (!match.Success || !TryDuration(match.Groups[2].Value, out interval) || interval <= TimeSpan.Zero) return false;
        count = match.Groups[1].Value.Length == 0 ? -1 : int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return count != 0;
    }

    [GeneratedRegex(@"^R(\d{0,6})/(P[^/]+)$")]
    private static partial Regex CycleRegex();
}
