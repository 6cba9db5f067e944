using Xunit;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.ServiceLevels;

namespace Remediation.UnitTests.Domain.ServiceLevels;

public class ServiceLevelPolicyTests
{
    [Fact]
    public void For_GivesShorterLevels_ToHigherVipTiers()
    {
        var policy = new ServiceLevelPolicy();

        var standard = policy.For(VipTier.None);
        var silver = policy.For(VipTier.Silver);
        var diamond = policy.For(VipTier.Diamond);

        Assert.True(silver.Vent < standard.Vent);
        Assert.True(diamond.Vent < silver.Vent);
        Assert.True(diamond.CallbackDelay < standard.CallbackDelay);
        Assert.Empty(policy.Validate());
    }

    [Fact]
    public void For_FallsBackToStandard_WhenTierNotConfigured()
    {
        var policy = new ServiceLevelPolicy { Vip = [] };

        Assert.Same(policy.Standard, policy.For(VipTier.Gold));
    }

    [Fact]
    public void Validate_NamesTheSetting_WhenVipSlowerThanStandard()
    {
        var policy = new ServiceLevelPolicy();
        policy.Vip[VipTier.Gold] = policy.Standard with { Probe = TimeSpan.FromDays(10) };

        var problem = Assert.Single(policy.Validate());

        Assert.Contains("Vip.Gold.Probe", problem);
    }

    [Fact]
    public void Defaults_AreNotShared_BetweenPolicies()
    {
        var first = new ServiceLevelPolicy();
        first.Vip[VipTier.Gold] = first.Standard;

        Assert.NotSame(first.Standard, new ServiceLevelPolicy().Standard);
        Assert.NotSame(first.Vip[VipTier.Gold], new ServiceLevelPolicy().Vip[VipTier.Gold]);
    }

    [Fact]
    public void ToProcessVariables_GivesIsoDurations()
    {
        var levels = new ServiceLevelPolicy().For(VipTier.None) with { Vent = TimeSpan.FromHours(4), CallbackDelay = TimeSpan.FromDays(3) };

        var variables = levels.ToProcessVariables();

        Assert.Equal("PT4H", variables["slaVent"]);
        Assert.Equal("P3D", variables["callbackDelay"]);
        Assert.Equal(["slaVent", "slaApologise", "slaProbe", "slaPropose", "slaApproval", "slaConfirm", "slaFollowUp", "callbackDelay"], variables.Keys);
    }

    [Theory]
    [InlineData(ComplaintStep.Deliver)]
    [InlineData(ComplaintStep.Closed)]
    public void For_Step_IsNull_ForSystemSteps(ComplaintStep step)
    {
        Assert.Null(new ServiceLevelPolicy().Standard.For(step));
    }
}
