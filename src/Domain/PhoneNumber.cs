namespace Remediation.Domain;

/// <summary>
/// A phone number kept in one canonical form (digits, optional leading '+') so that
/// "+86 138-0013-8000" and "+8613800138000" find the same customer and the same duplicate complaint.
/// </summary>
public sealed record PhoneNumber
{
    public string Value { get; }

    private PhoneNumber(string value) => Value = value;

    public static PhoneNumber Parse(string? text, string field = DomainFields.Phone)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(field));
        var trimmed = text.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        var allowed = trimmed.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.' || c == '+');
        if (!allowed || trimmed.LastIndexOf('+') > 0 || digits.Length is < 5 or > 20)
            throw new DomainException(DomainRules.InvalidFormat, DomainMessages.PhoneFormat, new DomainText(field), text);
        return new PhoneNumber(trimmed.StartsWith('+') ? "+" + digits : digits);
    }

    public override string ToString() => Value;
}
