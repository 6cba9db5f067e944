using System.Globalization;

namespace Remediation.Domain.Reviews;

/// <summary>One level of the approval matrix: offers in <see cref="Currency"/> above <see cref="Above"/> need <see cref="Role"/>'s sign-off.</summary>
public sealed record ApprovalLevel(string Currency, decimal Above, string Role);

/// <summary>
/// Who signs off a compensation offer (赔付审批): every level of the offer's currency whose threshold the amount exceeds,
/// lowest threshold first, each by a person holding that level's role. Every level approves, in order.
/// </summary>
public sealed class ApprovalMatrix
{
    private readonly IReadOnlyList<ApprovalLevel> _levels;

    public ApprovalMatrix(IEnumerable<ApprovalLevel> levels)
    {
        _levels = levels.Select(l => l with { Currency = l.Currency.Trim().ToUpperInvariant(), Role = l.Role.Trim() })
            .OrderBy(l => l.Currency, StringComparer.Ordinal).ThenBy(l => l.Above).ToList();
    }

    public IReadOnlyList<ApprovalLevel> Levels => _levels;

    /// <summary>Configuration problems (empty when the matrix is usable), each naming the level.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (level, i) in _levels.Select((l, i) => (l, i)))
        {
            if (level.Currency.Length != 3 || !level.Currency.All(char.IsAsciiLetterUpper)) problems.Add($"Level {i + 1}: currency '{level.Currency}' is not an ISO 4217 code.");
            if (level.Above < 0) problems.Add($"Level {i + 1}: Above must not be negative.");
            if (string.IsNullOrWhiteSpace(level.Role)) problems.Add($"Level {i + 1}: Role is required.");
        }
        return problems;
    }

    /// <summary>
    /// One currency's levels as an admin enters them, lowest first: at least one, each with a role, thresholds not
    /// negative and strictly rising (two levels at one threshold would be one level needing two roles).
    /// </summary>
    public static IReadOnlyList<ApprovalLevel> LevelsFor(string currency, IReadOnlyList<(decimal Above, string? Role)> levels)
    {
        var code = new Money(0, currency).Currency;
        if (levels.Count == 0) throw new DomainException(ReviewRules.InvalidMatrix, ReviewMessages.LevelsRequired);
        var checkedLevels = new List<ApprovalLevel>();
        for (var i = 0; i < levels.Count; i++)
        {
            var (above, role) = levels[i];
            if (string.IsNullOrWhiteSpace(role)) throw new DomainException(ReviewRules.InvalidMatrix, ReviewMessages.LevelRoleRequired, i + 1);
            if (above < 0) throw new DomainException(ReviewRules.InvalidMatrix, ReviewMessages.LevelThresholdNegative, i + 1);
            var threshold = new Money(above, code).Amount;
            if (i > 0 && threshold <= levels[i - 1].Above)
                throw new DomainException(ReviewRules.InvalidMatrix, ReviewMessages.LevelsNotIncreasing, i + 1,
                    threshold.ToString("0.00", CultureInfo.InvariantCulture), i, levels[i - 1].Above.ToString("0.00", CultureInfo.InvariantCulture));
            checkedLevels.Add(new ApprovalLevel(code, threshold, role.Trim()));
        }
        return checkedLevels;
    }

    /// <summary>The roles that approve an offer of <paramref name="amount"/>, in order; refused when no level covers its currency.</summary>
    public IReadOnlyList<string> ChainFor(Money amount)
    {
        var chain = _levels.Where(l => l.Currency == amount.Currency && amount.Amount > l.Above).Select(l => l.Role).ToList();
        return chain.Count > 0 ? chain : throw new DomainException(ReviewRules.NoApprovalLevel, ReviewMessages.NoApprovalLevel, amount.Currency);
    }
}
