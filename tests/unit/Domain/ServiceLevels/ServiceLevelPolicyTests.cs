using Xunit;
using Microsoft.Extensions.Configuration;
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

    [Fact]
    public void Policy_BindsFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceLevels:Standard:Vent"] = "02:00:00",
            ["ServiceLevels:Standard:CallbackDelay"] = "5.00:00:00",
            ["ServiceLevels:Vip:Diamond:Vent"] = "00:15:00",
        }).Build();

        var policy = configuration.GetSection("ServiceLevels").Get<ServiceLevelPolicy>()!;

        Assert.Equal(TimeSpan.FromHours(2), policy.For(VipTier.None).Vent);
        Assert.Equal(TimeSpan.FromDays(5), policy.For(VipTier.None).CallbackDelay);
        Assert.Equal(TimeSpan.FromMinutes(15), policy.For(VipTier.Diamond).Vent);
        Assert.Equal(TimeSpan.FromHours(24), policy.For(VipTier.None).Propose);
        Assert.Equal(TimeSpan.FromHours(24), new ServiceLevelPolicy().Standard.Propose);
        Assert.Equal(TimeSpan.FromHours(4), new ServiceLevelPolicy().Standard.Vent);
    }
}
