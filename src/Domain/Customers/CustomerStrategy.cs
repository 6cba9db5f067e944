namespace Remediation.Domain.Customers;

/// <summary>A short hint for the handler, in English and in the seeds' Chinese.</summary>
public sealed record StrategyHint(string English, string Chinese);

/// <summary>How to treat this customer (docs/business.md §5): the personality strategy plus VIP treatment (§3).</summary>
public static class CustomerStrategy
{
    public static StrategyHint HintFor(PersonalityType? personality, VipTier vipTier)
    {
        var (english, chinese) = personality switch
        {
            PersonalityType.Friendly => ("Friendly: give the best service anyway; don't relax because they are tolerant.",
                "友善型:提供最好的服务,不因为对方的宽容和理解而放松对自己的要求。"),
            PersonalityType.Dominant => ("Dominant: handle with care, meet their requests where you can, make them feel respected.",
                "独断型:小心应对,尽可能满足其要求,让其有被尊重的感觉。"),
            PersonalityType.Analytical => ("Analytical: be sincere, explain reasonably and honestly, win their understanding.",
                "分析型:真诚对待,作出合理解释,争取对方的理解。"),
            PersonalityType.SelfCentred => ("Self-centred: keep your temper, stay courteous, apologise sincerely for our own faults.",
                "自我型:学会控制自己的情绪,以礼相待,对自己的过失真诚道歉。"),
            _ => ("Personality not yet known: listen, stay calm and note how they react.",
                "性格类型未知:耐心聆听,保持冷静,留意客户的反应。"),
        };
        var (vipEnglish, vipChinese) = vipTier switch
        {
            VipTier.Diamond => (" Diamond VIP: differentiated service, shortest SLA; watch for churn.", "钻石卡客户:差异化服务,最短时限处理,注意流失预警。"),
            VipTier.Gold => (" Gold VIP: differentiated service, shorter SLA; watch for churn.", "金卡客户:差异化服务,缩短处理时限,注意流失预警。"),
            VipTier.Silver => (" Silver VIP: priority service.", "银卡客户:优先服务。"),
            _ => ("", ""),
        };
        return new StrategyHint(english + vipEnglish, chinese + vipChinese);
    }
}
