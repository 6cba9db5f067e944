using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;

namespace Remediation.Domain.Customers;

/// <summary>Personality types (001): how the customer is best served.</summary>
public enum PersonalityType
{
    /// <summary>友善型</summary>
    Friendly,
    /// <summary>独断型 — the most frequent complainers.</summary>
    Dominant,
    /// <summary>分析型</summary>
    Analytical,
    /// <summary>自我型</summary>
    SelfCentred,
}

/// <summary>Buying behaviour (001).</summary>
public enum BuyingBehaviour
{
    /// <summary>交际型</summary>
    Sociable,
    /// <summary>购买型</summary>
    Transactional,
    /// <summary>礼貌型</summary>
    Polite,
    /// <summary>讲价型</summary>
    Haggler,
}

/// <summary>Customer value class (002).</summary>
public enum ValueClass
{
    /// <summary>黄金</summary>
    Gold,
    /// <summary>流星</summary>
    Meteor,
    /// <summary>小星</summary>
    SmallStar,
    /// <summary>负担</summary>
    Burden,
}

/// <summary>VIP card tier (003), by points or monthly spend.</summary>
public enum VipTier { None, Silver, Gold, Diamond }

/// <summary>A customer and their profile; their complaint and remedy history is derived from their complaints.</summary>
public sealed class Customer
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = null!;
    public PhoneNumber Phone { get; private set; } = null!;
    public string? Email { get; private set; }
    public PersonalityType? Personality { get; private set; }
    public BuyingBehaviour? BuyingBehaviour { get; private set; }
    public ValueClass? ValueClass { get; private set; }
    public VipTier VipTier { get; private set; }

    private Customer() { }

    public static Customer Register(string name, string phone, string? email = null) => new()
    {
        Id = Guid.NewGuid(),
        Name = Guard.Required(name, DomainFields.Name, 200, multiLine: false),
        Phone = PhoneNumber.Parse(phone),
        Email = ValidEmail(email),
        VipTier = VipTier.None,
    };

    public void ChangeContact(string name, string phone, string? email)
    {
        var newName = Guard.Required(name, DomainFields.Name, 200, multiLine: false);
        var newPhone = PhoneNumber.Parse(phone);
        var newEmail = ValidEmail(email);
        (Name, Phone, Email) = (newName, newPhone, newEmail);
    }

    public void UpdateProfile(PersonalityType? personality, BuyingBehaviour? buyingBehaviour, ValueClass? valueClass)
    {
        if (personality is { } p) Guard.Defined(p, DomainFields.Personality);
        if (buyingBehaviour is { } b) Guard.Defined(b, DomainFields.BuyingBehaviour);
        if (valueClass is { } v) Guard.Defined(v, DomainFields.ValueClass);
        (Personality, BuyingBehaviour, ValueClass) = (personality, buyingBehaviour, valueClass);
    }

    public void ChangeVipTier(VipTier tier) => VipTier = Guard.Defined(tier, DomainFields.VipTier);

    /// <summary>This customer's history, from whichever complaints are passed (others are ignored).</summary>
    public CustomerHistory HistoryFrom(IEnumerable<Complaint> complaints)
    {
        var own = complaints.Where(c => c.CustomerId == Id).OrderBy(c => c.CreatedAt).ToList();
        var remedies = own
            .SelectMany(c => c.Proposals.Where(p => p.DeliveredAt is not null).Select(p => new RemedyHistoryEntry(c.Reference, p.Type, p.Value, p.DeliveredAt!.Value)))
            .OrderBy(r => r.DeliveredAt)
            .ToList();
        var totals = remedies.Where(r => r.Value is not null).GroupBy(r => r.Value!.Currency)
            .Select(g => new Money(g.Sum(r => r.Value!.Amount), g.Key)).OrderBy(m => m.Currency).ToList();
        var satisfaction = own
            .SelectMany(c => c.FollowUps.Select(f => new SatisfactionEntry(c.Reference, f.Satisfaction, f.RecordedAt)))
            .OrderBy(f => f.At)
            .ToList();
        return new CustomerHistory(
            own.Count,
            own.Count(c => c.Status != ComplaintStatus.Closed),
            own.Sum(c => c.ReopenCount),
            own.LastOrDefault()?.CreatedAt,
            remedies,
            totals,
            satisfaction);
    }

    /// <summary>The e-mail address trimmed, null when empty; throws <see cref="DomainException"/> when it is not an address.</summary>
    public static string? ValidEmail(string? email)
    {
        var value = Guard.Optional(email, DomainFields.Email, 256, multiLine: false);
        if (value is null) return null;
        var at = value.IndexOf('@');
        if (at < 1 || at != value.LastIndexOf('@') || at == value.Length - 1 || value.Any(char.IsWhiteSpace))
            throw new DomainException(DomainRules.InvalidFormat, DomainMessages.EmailFormat, email);
        return value;
    }
}

public sealed record CustomerHistory(
    int Complaints,
    int OpenComplaints,
    int Reopened,
    DateTimeOffset? LastComplaintAt,
    IReadOnlyList<RemedyHistoryEntry> RemediesDelivered,
    IReadOnlyList<Money> CompensationTotals,
    IReadOnlyList<SatisfactionEntry> Satisfaction)
{
    /// <summary>The mean follow-up score (1 to 5), or null before the first follow-up.</summary>
    public double? AverageSatisfaction => Satisfaction.Count == 0 ? null : Satisfaction.Average(s => s.Score);
}

public sealed record RemedyHistoryEntry(ComplaintReference Complaint, RemedyType Type, Money? Value, DateTimeOffset DeliveredAt);

/// <summary>A follow-up's satisfaction score (1 to 5) on one complaint.</summary>
public sealed record SatisfactionEntry(ComplaintReference Complaint, int Score, DateTimeOffset At);
