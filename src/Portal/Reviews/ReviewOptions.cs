using System.Xml;
using Remediation.Domain.Customers;
using Remediation.Domain.Reviews;

namespace Remediation.Portal.Reviews;

/// <summary>Configuration section <c>Reviews</c> (docs/configuration.md). Empty lists take the defaults.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Reviews";

    public static readonly string[] DefaultPlatforms = ["Taobao", "Tmall", "JD", "Pinduoduo", "Google", "Trustpilot", "Own shop"];

    public static readonly ApprovalLevel[] DefaultApprovalLevels =
    [
        new("CNY", 0, Data.Roles.Approver), new("CNY", 200, Data.Roles.Supervisor),
        new("EUR", 0, Data.Roles.Approver), new("EUR", 25, Data.Roles.Supervisor),
        new("USD", 0, Data.Roles.Approver), new("USD", 30, Data.Roles.Supervisor),
    ];

    public List<string> Platforms { get; set; } = [];
    public int NegativeAtMost { get; set; } = 2;
    public int PositiveAtLeast { get; set; } = 4;
    public List<CompensationKind> Methods { get; set; } = [];
    /// <summary>Time to reply to a review of a customer without VIP tier.</summary>
    public TimeSpan ReplySla { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Shorter reply times by VIP tier (Silver, Gold, Diamond).</summary>
    public Dictionary<VipTier, TimeSpan> VipReplySla { get; set; } = [];
    public List<ApprovalLevelOption> ApprovalLevels { get; set; } = [];

    public sealed class ApprovalLevelOption
    {
        public string Currency { get; set; } = "";
        public decimal Above { get; set; }
        public string Role { get; set; } = "";
    }

    public ReviewCatalogue Catalogue() => new(
        Platforms.Count > 0 ? Platforms : DefaultPlatforms,
        new ReviewThresholds(NegativeAtMost, PositiveAtLeast),
        Methods.Count > 0 ? Methods : Enum.GetValues<CompensationKind>());

    public ApprovalMatrix Matrix() => new(ApprovalLevels.Count > 0
        ? ApprovalLevels.Select(l => new ApprovalLevel(l.Currency, l.Above, l.Role))
        : DefaultApprovalLevels);

    public TimeSpan ReplySlaFor(VipTier tier) =>
        tier != VipTier.None && VipReplySla.TryGetValue(tier, out var sla) ? sla
        : tier switch { VipTier.Diamond => TimeSpan.FromHours(4), VipTier.Gold => TimeSpan.FromHours(8), VipTier.Silver => TimeSpan.FromHours(12), _ => ReplySla };

    public static string Iso(TimeSpan span) => XmlConvert.ToString(span);

    /// <summary>Problems naming the key (empty when valid); start-up stops on any.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!new ReviewThresholds(NegativeAtMost, PositiveAtLeast).IsValid)
            problems.Add("Reviews:NegativeAtMost must be below Reviews:PositiveAtLeast, both within 0–6.");
        if (ReplySla <= TimeSpan.Zero) problems.Add("Reviews:ReplySla must be positive.");
        foreach (var (tier, sla) in VipReplySla)
            if (sla <= TimeSpan.Zero || sla > ReplySla) problems.Add($"Reviews:VipReplySla:{tier} must be positive and not longer than Reviews:ReplySla.");
        if (Platforms.Any(string.IsNullOrWhiteSpace)) problems.Add("Reviews:Platforms must not contain an empty name.");
        problems.AddRange(Matrix().Validate().Select(p => "Reviews:ApprovalLevels: " + p));
        foreach (var role in Matrix().Levels.Select(l => l.Role).Distinct())
            if (!Data.Roles.All.Contains(role)) problems.Add($"Reviews:ApprovalLevels: role '{role}' is not one of {string.Join(", ", Data.Roles.All)}.");
        return problems;
    }
}
