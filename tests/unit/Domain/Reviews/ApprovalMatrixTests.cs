using Remediation.Domain;
using Remediation.Domain.Reviews;
using Xunit;

namespace Remediation.UnitTests.Domain.Reviews;

public sealed class ApprovalMatrixTests
{
    [Fact]
    public void LevelsFor_KeepsRisingLevels_AndTheChainFollowsThem()
    {
        var levels = ApprovalMatrix.LevelsFor("cny", [(0m, "Approver"), (50m, " Supervisor ")]);

        Assert.Equal([new ApprovalLevel("CNY", 0m, "Approver"), new ApprovalLevel("CNY", 50m, "Supervisor")], levels);
        Assert.Equal(["Approver", "Supervisor"], new ApprovalMatrix(levels).ChainFor(new Money(80m, "CNY")));
        Assert.Equal(["Approver"], new ApprovalMatrix(levels).ChainFor(new Money(50m, "CNY")));
    }

    [Theory]
    [InlineData(100, 100, 2)]
    [InlineData(200, 50, 2)]
    public void LevelsFor_RefusesThresholdsThatDoNotRise_NamingTheLevel(decimal first, decimal second, int level)
    {
        var e = Assert.Throws<DomainException>(() => ApprovalMatrix.LevelsFor("CNY", [(first, "Approver"), (second, "Supervisor")]));

        Assert.Equal(ReviewRules.InvalidMatrix, e.Rule);
        Assert.Equal(ReviewMessages.LevelsNotIncreasing, e.Template);
        Assert.Equal(level, e.Arguments[0]);
    }

    [Fact]
    public void LevelsFor_RefusesANegativeThreshold_AMissingRole_NoLevels_AndABadCurrency()
    {
        Assert.Equal(ReviewMessages.LevelThresholdNegative, Assert.Throws<DomainException>(() => ApprovalMatrix.LevelsFor("CNY", [(-1m, "Approver")])).Template);
        Assert.Equal(ReviewMessages.LevelRoleRequired, Assert.Throws<DomainException>(() => ApprovalMatrix.LevelsFor("CNY", [(0m, " ")])).Template);
        Assert.Equal(ReviewMessages.LevelsRequired, Assert.Throws<DomainException>(() => ApprovalMatrix.LevelsFor("CNY", [])).Template);
        Assert.Equal(DomainMessages.CurrencyFormat, Assert.Throws<DomainException>(() => ApprovalMatrix.LevelsFor("yuan", [(0m, "Approver")])).Template);
    }
}
