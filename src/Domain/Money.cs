using System.Text.RegularExpressions;

namespace Remediation.Domain;

/// <summary>An amount in an ISO 4217 currency (three upper-case letters, e.g. CNY, EUR).</summary>
public sealed partial record Money
{
    /// <summary>The largest amount the database's <c>decimal(18,2)</c> columns hold (16 digits before the point).</summary>
    public const decimal MaxAmount = 9_999_999_999_999_999.99m;

    public decimal Amount { get; }
    public string Currency { get; }

    public Money(decimal amount, string currency)
    {
        var code = currency?.Trim().ToUpperInvariant() ?? "";
        if (!CurrencyCode().IsMatch(code))
            throw new DomainException(DomainRules.InvalidFormat, DomainMessages.CurrencyFormat, currency);
        if (decimal.Round(amount, 2) != amount)
            throw new DomainException(DomainRules.InvalidFormat, DomainMessages.AmountDecimals);
        if (Math.Abs(amount) > MaxAmount)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.AmountTooLarge, MaxAmount);
        Amount = amount;
        Currency = code;
    }

    public override string ToString() => $"{Amount:0.00} {Currency}";

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
