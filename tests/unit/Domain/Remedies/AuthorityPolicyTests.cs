using Xunit;
using Remediation.Domain;
using Remediation.Domain.Remedies;

namespace Remediation.UnitTests.Domain.Remedies;

public class AuthorityPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] HandlerRoles = ["Handler"];

    private static RemedyProposal Refund(decimal amount, string currency = "CNY") =>
        RemedyProposal.Create(RemedyType.Refund, new Money(amount, currency), null, "Faulty", "user-1", Now);

    private static readonly AuthorityLimit HandlerCny = AuthorityLimit.ForRole("Handler", new Money(200m, "CNY"));
    private static readonly AuthorityLimit SupervisorCny = AuthorityLimit.ForRole("Supervisor", new Money(1000m, "CNY"));

    [Theory]
    [InlineData(200, true)]
    [InlineData(200.01, false)]
    public void IsWithinAuthority_UsesRoleLimit(decimal amount, bool expected)
    {
        Assert.Equal(expected, AuthorityPolicy.IsWithinAuthority("user-1", HandlerRoles, Refund(amount), [HandlerCny]));
    }

    [Fact]
    public void IsWithinAuthority_UsesHighestOfHeldRoles()
    {
        Assert.True(AuthorityPolicy.IsWithinAuthority("user-1", ["Handler", "Supervisor"], Refund(800m), [HandlerCny, SupervisorCny]));
        Assert.False(AuthorityPolicy.IsWithinAuthority("user-1", HandlerRoles, Refund(800m), [HandlerCny, SupervisorCny]));
    }

    [Fact]
    public void IsWithinAuthority_UserLimitOverridesHigherRoleLimit()
    {
        var userCny = AuthorityLimit.ForUser("user-1", new Money(50m, "CNY"));

        Assert.False(AuthorityPolicy.IsWithinAuthority("user-1", HandlerRoles, Refund(100m), [HandlerCny, userCny]));
    }

    [Fact]
    public void IsWithinAuthority_UserLimitOverridesLowerRoleLimit()
    {
        var userCny = AuthorityLimit.ForUser("user-1", new Money(500m, "CNY"));

        Assert.True(AuthorityPolicy.IsWithinAuthority("user-1", HandlerRoles, Refund(400m), [HandlerCny, userCny]));
        Assert.False(AuthorityPolicy.IsWithinAuthority("user-2", HandlerRoles, Refund(400m), [HandlerCny, userCny]));
    }

    [Fact]
    public void IsWithinAuthority_False_WhenNoLimitInProposalCurrency()
    {
        var userEur = AuthorityLimit.ForUser("user-1", new Money(10_000m, "EUR"));

        Assert.False(AuthorityPolicy.IsWithinAuthority("user-1", HandlerRoles, Refund(5m, "USD"), [HandlerCny, userEur]));
        Assert.False(HandlerCny.Covers(Refund(5m, "USD")));
    }

    [Fact]
    public void IsWithinAuthority_UserLimitInOtherCurrency_LeavesRoleLimitInForce()
    {
        var userEur = AuthorityLimit.ForUser("user-1", new Money(10m, "EUR"));

        Assert.True(AuthorityPolicy.IsWithinAuthority("user-1", HandlerRoles, Refund(150m), [HandlerCny, userEur]));
    }

    [Fact]
    public void IsWithinAuthority_True_WhenProposalHasNoAmount()
    {
        var apology = RemedyProposal.Create(RemedyType.Apology, null, null, "Rude courier", "user-1", Now);

        Assert.True(AuthorityPolicy.IsWithinAuthority("user-1", [], apology, []));
    }

    [Fact]
    public void IsWithinAuthority_False_WhenNoLimitsAtAll()
    {
        Assert.False(AuthorityPolicy.IsWithinAuthority("user-1", HandlerRoles, Refund(1m), []));
    }

    [Fact]
    public void ChangeMax_Throws_WhenCurrencyDiffers()
    {
        var limit = AuthorityLimit.ForRole("Handler", new Money(200m, "CNY"));

        Assert.Equal(DomainRules.AuthorityLimitScope, Assert.Throws<DomainException>(() => limit.ChangeMax(new Money(300m, "EUR"))).Rule);
        Assert.Equal(200m, limit.MaxAmount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Limit_MustBeAboveZero_WhenCreatedOrChanged(decimal max)
    {
        var limit = AuthorityLimit.ForRole("Handler", new Money(200m, "CNY"));

        Assert.Equal(DomainMessages.LimitMustBePositive, Assert.Throws<DomainException>(() => AuthorityLimit.ForUser("user-1", new Money(max, "CNY"))).Template);
        Assert.Equal(DomainMessages.LimitMustBePositive, Assert.Throws<DomainException>(() => limit.ChangeMax(new Money(max, "CNY"))).Template);
        Assert.Equal(200m, limit.MaxAmount);
    }
}
