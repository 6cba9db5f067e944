using PhoneNumbers;

namespace Remediation.Domain;

/// <summary>
/// A phone number validated and kept in E.164 ("+8613800138000") by libphonenumber, so that "+86 138-0013-8000",
/// "138 0013 8000" and "+8613800138000" find the same customer and the same duplicate complaint. A number written
/// without a country code is read as a number of <see cref="DefaultRegion"/>.
/// </summary>
public sealed record PhoneNumber
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The region (ISO 3166 code) of numbers written without a country code; <c>CN</c> unless configured.</summary>
    public static string DefaultRegion { get; private set; } = "CN";

    /// <summary>E.164: '+', the country code and the national number, digits only.</summary>
    public string Value { get; }

    private PhoneNumber(string value) => Value = value;

    /// <summary>Sets <see cref="DefaultRegion"/> once at start-up (configuration <c>Phones:DefaultRegion</c>).</summary>
    public static void UseDefaultRegion(string region)
    {
        var code = region.Trim().ToUpperInvariant();
        if (!Util.GetSupportedRegions().Contains(code))
            throw new ArgumentException($"Phones:DefaultRegion '{region}' is not a region libphonenumber knows (e.g. CN, GB, US).", nameof(region));
        DefaultRegion = code;
    }

    public static PhoneNumber Parse(string? text, string field = DomainFields.Phone)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(field));
        PhoneNumbers.PhoneNumber parsed;
        try { parsed = Util.Parse(text.Trim(), DefaultRegion); }
        catch (NumberParseException) { throw Invalid(text, field); }
        if (!Util.IsValidNumber(parsed)) throw Invalid(text, field);
        return new PhoneNumber(Util.Format(parsed, PhoneNumberFormat.E164));
    }

    /// <summary>The number as people write it: national form for the default region ("138 0013 8000"), else international.</summary>
    public string Display() => Display(Value);

    /// <summary><see cref="Display()"/> for a stored E.164 value (list rows read the column, not the value object).</summary>
    public static string Display(string e164)
    {
        PhoneNumbers.PhoneNumber parsed;
        try { parsed = Util.Parse(e164, DefaultRegion); }
        catch (NumberParseException) { return e164; }
        return Util.GetRegionCodeForNumber(parsed) == DefaultRegion
            ? Util.Format(parsed, PhoneNumberFormat.NATIONAL)
            : Util.Format(parsed, PhoneNumberFormat.INTERNATIONAL);
    }

    /// <summary>
    /// Whether a text can reach the number: a mobile number, or one whose region does not tell mobiles from landlines
    /// (the United States). False for a landline, a toll-free or a premium number.
    /// </summary>
    public static bool CanReceiveTexts(string e164)
    {
        try
        {
            return Util.GetNumberType(Util.Parse(e164, DefaultRegion)) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    private static DomainException Invalid(string text, string field) =>
        new(DomainRules.InvalidFormat, DomainMessages.PhoneFormat, new DomainText(field), text, DefaultRegion);

    public override string ToString() => Value;
}
