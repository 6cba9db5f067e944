using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediation.Domain.Complaints;

/// <summary>
/// The reference a customer quotes, e.g. <c>C-2026-000123</c>: the year the complaint was
/// received and a six-digit sequence that restarts at 1 each year.
/// </summary>
public sealed partial record ComplaintReference : IComparable<ComplaintReference>
{
    public const int MaxSequence = 999_999;

    public int Year { get; }
    public int Sequence { get; }

    public ComplaintReference(int year, int sequence)
    {
        if (year is < 2000 or > 9999)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.ReferenceYear, year);
        if (sequence is < 1 or > MaxSequence)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.ReferenceSequence, sequence, MaxSequence);
        Year = year;
        Sequence = sequence;
    }

    /// <summary>
    /// The reference for a complaint received at <paramref name="receivedAt"/> (UTC year), given the
    /// latest reference issued so far: the next sequence in the same year, or 1 in a new year.
    /// </summary>
    public static ComplaintReference Next(ComplaintReference? latest, DateTimeOffset receivedAt)
    {
        var year = receivedAt.UtcDateTime.Year;
        if (latest is null || latest.Year < year) return new ComplaintReference(year, 1);
        if (latest.Sequence == MaxSequence)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.ReferencesExhausted, MaxSequence, latest.Year);
        return new ComplaintReference(latest.Year, latest.Sequence + 1);
    }

    public static ComplaintReference Parse(string? text) =>
        TryParse(text, out var reference)
            ? reference
            : throw new DomainException(DomainRules.InvalidFormat, DomainMessages.ReferenceFormat, text);

    public static bool TryParse(string? text, out ComplaintReference reference)
    {
        reference = null!;
        var match = text is null ? null : Pattern().Match(text.Trim().ToUpperInvariant());
        if (match is not { Success: true }) return false;
        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var sequence = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year < 2000 || sequence < 1) return false;
        reference = new ComplaintReference(year, sequence);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"C-{Year:D4}-{Sequence:D6}");

    public int CompareTo(ComplaintReference? other) =>
        other is null ? 1 : (Year, Sequence).CompareTo((other.Year, other.Sequence));

    [GeneratedRegex(@"^C-(\d{4})-(\d{6})$")]
    private static partial Regex Pattern();
}
