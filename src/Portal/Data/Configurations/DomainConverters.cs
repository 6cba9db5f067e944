using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Remediation.Domain;
using Remediation.Domain.Complaints;

namespace Remediation.Portal.Data.Configurations;

/// <summary>Column conversions shared by the domain mappings.</summary>
internal static class DomainConverters
{
    /// <summary>
    /// Stored as a UTC date-time: SQLite cannot order or compare DateTimeOffset columns in SQL, and the
    /// queue sorts and filters by these times. The instant is kept; the original offset is not.
    /// </summary>
    public static readonly ValueConverter<DateTimeOffset, DateTime> Utc =
        new(v => v.UtcDateTime, v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));

    public static readonly ValueConverter<DateTimeOffset?, DateTime?> UtcOrNull =
        new(v => v.HasValue ? v.Value.UtcDateTime : null,
            v => v.HasValue ? new DateTimeOffset(DateTime.SpecifyKind(v.Value, DateTimeKind.Utc)) : null);

    public static readonly ValueConverter<PhoneNumber, string> Phone = new(v => v.Value, v => PhoneNumber.Parse(v, "Phone"));

    public static readonly ValueConverter<ComplaintReference, string> Reference = new(v => v.ToString(), v => ComplaintReference.Parse(v));

    public const int EnumLength = 32;
    public const int UserIdLength = 450;
    public const int PhoneLength = 24;
    public const int CurrencyLength = 3;
}
