using System.Xml;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;

namespace Remediation.Domain.ServiceLevels;

/// <summary>How long each step may take before it is overdue, and how long after delivery the callback falls due.</summary>
public sealed record ServiceLevels
{
    public TimeSpan Vent { get; init; }
    public TimeSpan Apologise { get; init; }
    public TimeSpan Probe { get; init; }
    public TimeSpan Propose { get; init; }
    public TimeSpan Approval { get; init; }
    public TimeSpan Confirm { get; init; }
    public TimeSpan FollowUp { get; init; }
    public TimeSpan CallbackDelay { get; init; }

    /// <summary>The SLA of a step that a person works; null for steps the system moves on by itself.</summary>
    public TimeSpan? For(ComplaintStep step) => step switch
    {
        ComplaintStep.Vent => Vent,
        ComplaintStep.Apologise => Apologise,
        ComplaintStep.Probe => Probe,
        ComplaintStep.Propose => Propose,
        ComplaintStep.Approval => Approval,
        ComplaintStep.Confirm => Confirm,
        ComplaintStep.FollowUp => FollowUp,
        _ => null,
    };

    /// <summary>
    /// The process variables the complaint-handling BPMN reads for its SLA timers, due dates and
    /// callback (see docs/domain-model.md), as ISO 8601 durations such as <c>PT4H</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ToProcessVariables() => new Dictionary<string, string>
    {
        ["slaVent"] = XmlConvert.ToString(Vent),
        ["slaApologise"] = XmlConvert.ToString(Apologise),
        ["slaProbe"] = XmlConvert.ToString(Probe),
        ["slaPropose"] = XmlConvert.ToString(Propose),
        ["slaApproval"] = XmlConvert.ToString(Approval),
        ["slaConfirm"] = XmlConvert.ToString(Confirm),
        ["slaFollowUp"] = XmlConvert.ToString(FollowUp),
        ["callbackDelay"] = XmlConvert.ToString(CallbackDelay),
    };

    internal IEnumerable<(string Name, TimeSpan Value)> All() =>
    [
        (nameof(Vent), Vent), (nameof(Apologise), Apologise), (nameof(Probe), Probe), (nameof(Propose), Propose),
        (nameof(Approval), Approval), (nameof(Confirm), Confirm), (nameof(FollowUp), FollowUp), (nameof(CallbackDelay), CallbackDelay),
    ];
}

/// <summary>
/// Service levels per VIP tier, bound from configuration. High-value customers get differentiated,
/// faster service (003); a tier without its own levels gets the standard ones.
/// </summary>
public sealed class ServiceLevelPolicy
{
    // Fresh instances each time: the configuration binder writes into existing objects, so shared defaults would leak between policies.
    public ServiceLevels Standard { get; init; } = Defaults.Standard();
    public Dictionary<VipTier, ServiceLevels> Vip { get; init; } = Defaults.Vip();

    public ServiceLevels For(VipTier tier) =>
        tier != VipTier.None && Vip.TryGetValue(tier, out var levels) ? levels : Standard;

    /// <summary>
    /// Problems with the configured values, naming the setting: every duration must be positive,
    /// and no VIP tier may be slower than the standard levels.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in Standard.All())
            if (value <= TimeSpan.Zero) problems.Add($"Standard.{name} must be a positive duration.");
        foreach (var (tier, levels) in Vip)
            foreach (var ((name, value), (_, standard)) in levels.All().Zip(Standard.All()))
            {
                if (value <= TimeSpan.Zero) problems.Add($"Vip.{tier}.{name} must be a positive duration.");
                else if (name != nameof(ServiceLevels.CallbackDelay) && value > standard)
                    problems.Add($"Vip.{tier}.{name} ({value}) must not be longer than Standard.{name} ({standard}).");
            }
        return problems;
    }

    private static class Defaults
    {
        public static ServiceLevels Standard() => new()
        {
            Vent = TimeSpan.FromHours(4), Apologise = TimeSpan.FromHours(4), Probe = TimeSpan.FromHours(8),
            Propose = TimeSpan.FromHours(24), Approval = TimeSpan.FromHours(24), Confirm = TimeSpan.FromHours(48),
            FollowUp = TimeSpan.FromHours(24), CallbackDelay = TimeSpan.FromDays(3),
        };

        public static Dictionary<VipTier, ServiceLevels> Vip() => new()
        {
            [VipTier.Silver] = Standard() with { Vent = TimeSpan.FromHours(2), Apologise = TimeSpan.FromHours(2), Probe = TimeSpan.FromHours(4), Propose = TimeSpan.FromHours(12), Approval = TimeSpan.FromHours(12), Confirm = TimeSpan.FromHours(24) },
            [VipTier.Gold] = Standard() with { Vent = TimeSpan.FromHours(1), Apologise = TimeSpan.FromHours(1), Probe = TimeSpan.FromHours(2), Propose = TimeSpan.FromHours(8), Approval = TimeSpan.FromHours(8), Confirm = TimeSpan.FromHours(12), FollowUp = TimeSpan.FromHours(12), CallbackDelay = TimeSpan.FromDays(2) },
            [VipTier.Diamond] = Standard() with { Vent = TimeSpan.FromMinutes(30), Apologise = TimeSpan.FromMinutes(30), Probe = TimeSpan.FromHours(1), Propose = TimeSpan.FromHours(4), Approval = TimeSpan.FromHours(4), Confirm = TimeSpan.FromHours(8), FollowUp = TimeSpan.FromHours(8), CallbackDelay = TimeSpan.FromDays(1) },
        };
    }
}
