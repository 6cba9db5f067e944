namespace Remediation.Domain.Reviews;

/// <summary>Negative / middling / positive (差评 / 中评 / 好评).</summary>
public enum ReviewClassification { Negative, Middling, Positive }

/// <summary>
/// Ratings at or below <see cref="NegativeAtMost"/> are negative, at or above <see cref="PositiveAtLeast"/> positive,
/// the rest middling (defaults: 1–2 negative, 3 middling, 4–5 positive).
/// </summary>
public sealed record ReviewThresholds(int NegativeAtMost = 2, int PositiveAtLeast = 4)
{
    public ReviewClassification Classify(int rating) =>
        rating <= NegativeAtMost ? ReviewClassification.Negative
        : rating >= PositiveAtLeast ? ReviewClassification.Positive
        : ReviewClassification.Middling;

    public bool IsValid => NegativeAtMost is >= 0 and <= 5 && PositiveAtLeast is >= 1 and <= 6 && NegativeAtMost < PositiveAtLeast;
}

/// <summary>What a compensation offer gives the customer (补偿方式); which of them a shop uses is configured (the catalogue).</summary>
public enum CompensationKind { ReplacementGoods, Coupon, Cash, Gift, Points }

/// <summary>What is configurable about reviews: the platforms reviews come from, the classification and the catalogue.</summary>
public sealed record ReviewCatalogue(IReadOnlyList<string> Platforms, ReviewThresholds Thresholds, IReadOnlyList<CompensationKind> Methods)
{
    /// <summary>The configured platform with this name (case-insensitive), as configured; refused when unknown.</summary>
    public string Platform(string? name)
    {
        var found = Platforms.FirstOrDefault(p => string.Equals(p, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return found ?? throw new DomainException(ReviewRules.UnknownPlatform, ReviewMessages.UnknownPlatform, name);
    }

    public CompensationKind Method(CompensationKind kind) =>
        Methods.Contains(kind) ? kind : throw new DomainException(ReviewRules.MethodNotInCatalogue, ReviewMessages.MethodNotInCatalogue, kind);
}
