namespace Remediation.Domain.Remedies;

/// <summary>
/// The most a role, or one user, may offer without approval, in one currency. A user's own limit
/// overrides the limits of their roles in that currency (higher or lower). The maximum is above zero: "everything
/// needs approval" is no limit at all.
/// </summary>
public sealed class AuthorityLimit
{
    public Guid Id { get; private set; }
    /// <summary>Set for a role limit; null for a user limit.</summary>
    public string? Role { get; private set; }
    /// <summary>Set for a user limit; null for a role limit.</summary>
    public string? UserId { get; private set; }
    public decimal MaxAmount { get; private set; }
    public string Currency { get; private set; } = null!;

    public Money Max => new(MaxAmount, Currency);

    private AuthorityLimit() { }

    public static AuthorityLimit ForRole(string role, Money max) => Create(Guard.Required(role, DomainFields.Role, 256), null, max);

    public static AuthorityLimit ForUser(string userId, Money max) => Create(null, Guard.Required(userId, DomainFields.User, 450), max);

    private static AuthorityLimit Create(string? role, string? userId, Money max)
    {
        if (max.Amount <= 0)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.LimitMustBePositive);
        return new AuthorityLimit { Id = Guid.NewGuid(), Role = role, UserId = userId, MaxAmount = max.Amount, Currency = max.Currency };
    }

    public void ChangeMax(Money max)
    {
        if (max.Currency != Currency)
            throw new DomainException(DomainRules.AuthorityLimitScope, DomainMessages.LimitCurrency, Currency, max.Currency);
        if (max.Amount <= 0)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.LimitMustBePositive);
        MaxAmount = max.Amount;
    }

    /// <summary>True when the proposal carries no amount, or an amount in this currency up to the maximum.</summary>
    public bool Covers(RemedyProposal proposal) =>
        proposal.Amount is not { } amount || (proposal.Currency == Currency && amount <= MaxAmount);
}

/// <summary>Decides whether a proposal lies within its proposer's authority (002: never offer beyond it).</summary>
public static class AuthorityPolicy
{
    /// <summary>
    /// A proposal without an amount is always within authority. Otherwise only limits in the
    /// proposal's currency count: the user's own limit if one exists, else the highest limit of
    /// any role the user holds. No limit in that currency means approval is needed.
    /// </summary>
    public static bool IsWithinAuthority(string userId, IEnumerable<string> roles, RemedyProposal proposal, IEnumerable<AuthorityLimit> limits)
    {
        if (proposal.Amount is null) return true;
        var inCurrency = limits.Where(l => l.Currency == proposal.Currency).ToList();
        var own = inCurrency.FirstOrDefault(l => l.UserId is not null && string.Equals(l.UserId, userId, StringComparison.Ordinal));
        if (own is not null) return own.Covers(proposal);
        var held = roles.ToHashSet(StringComparer.Ordinal);
        return inCurrency.Any(l => l.Role is not null && held.Contains(l.Role) && l.Covers(proposal));
    }
}
