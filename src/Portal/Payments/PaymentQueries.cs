using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Payments;
using Remediation.Portal.Data;

namespace Remediation.Portal.Payments;

/// <summary>A payment as the pages show it (<c>Pages/Shared/_Payment.cshtml</c>).</summary>
public sealed record PaymentView(string Key, PaymentChannel Channel, decimal Amount, string Currency, PaymentStatus Status,
    DateTimeOffset RequestedAt, DateTimeOffset? SentAt, DateTimeOffset? ConfirmedAt, DateTimeOffset? FailedAt,
    string? GatewayReference, int Attempts, string? FailureReason)
{
    /// <summary>Goods sent by parcel without a value carry no amount.</summary>
    public bool HasAmount => Amount != 0 || Currency != Payment.NoCurrency;
}

/// <summary>Payments read by their keys (the complaint case page, the review page).</summary>
public sealed class PaymentQueries(RemediationDbContext db)
{
    public async Task<PaymentView?> ByKeyAsync(string key, CancellationToken ct) =>
        (await ByKeysAsync([key], ct)).FirstOrDefault();

    /// <summary>The payments with these keys, oldest first (unknown keys are left out).</summary>
    public async Task<IReadOnlyList<PaymentView>> ByKeysAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return [];
        return await db.Set<Payment>().AsNoTracking().Where(p => keys.Contains(p.Key)).OrderBy(p => p.RequestedAt)
            .Select(p => new PaymentView(p.Key, p.Channel, p.Amount, p.Currency, p.Status, p.RequestedAt, p.SentAt, p.ConfirmedAt, p.FailedAt,
                p.GatewayReference, p.Attempts, p.FailureReason))
            .ToListAsync(ct);
    }
}
