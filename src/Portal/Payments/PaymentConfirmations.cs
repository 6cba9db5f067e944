using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Payments;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Payments;

/// <summary>What a gateway reports about one payment: it went through (<see cref="Succeeded"/>), or it failed with a reason.</summary>
public sealed record PaymentOutcome(string Key, bool Succeeded, string? GatewayReference, string? FailureReason);

public enum ConfirmationResult
{
    /// <summary>The outcome was recorded now.</summary>
    Recorded,
    /// <summary>The same outcome had been recorded before: nothing changed.</summary>
    AlreadyRecorded,
    /// <summary>No payment has this key.</summary>
    NotFound,
    /// <summary>The payment already has the other outcome (confirmed, then reported failed, or the reverse).</summary>
    Contradicts,
    /// <summary>The waiting process kept changing meanwhile; nothing was saved, try again.</summary>
    Conflict,
    /// <summary>The report itself is not valid (<see cref="ConfirmationOutcome.Message"/> says why).</summary>
    Invalid,
}

/// <summary>The answer to a report. <see cref="ProcessNotified"/>: the waiting process has been told.</summary>
public sealed record ConfirmationOutcome(ConfirmationResult Result, PaymentStatus? Status = null, bool ProcessNotified = false, string? Message = null);

/// <summary>
/// Records a gateway's report (the webhook and the development gateway both come here) and tells the waiting process with
/// <see cref="PaymentProcess.ConfirmedMessage"/> (<see cref="PaymentProcess.Variables.Status"/> = Confirmed or Failed). The
/// payment's change, its audit entry and the process's move are one engine command (the correlation's commit hook), so a
/// payment is never confirmed without the process knowing, nor the reverse. A report that comes before the process waits
/// (the service task has not finished yet) is recorded alone; <see cref="NotifyPendingAsync"/> tells the process later.
/// Reporting the same outcome again changes nothing.
/// </summary>
public sealed class PaymentConfirmations(RemediationDbContext db, IWorkflowRuntime runtime, IAuditLog audit, TimeProvider clock,
    ILogger<PaymentConfirmations> logger)
{
    private const int Attempts = 5;

    public async Task<ConfirmationOutcome> RecordAsync(PaymentOutcome outcome, string reportedBy, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(outcome.Key)) return new(ConfirmationResult.Invalid, Message: "paymentKey is required.");
        var target = outcome.Succeeded ? PaymentStatus.Confirmed : PaymentStatus.Failed;
        var reason = outcome.Succeeded ? null : string.IsNullOrWhiteSpace(outcome.FailureReason) ? "The gateway gave no reason." : outcome.FailureReason.Trim();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var payment = await db.Set<Payment>().AsNoTracking().FirstOrDefaultAsync(p => p.Key == outcome.Key, ct);
            if (payment is null) return new(ConfirmationResult.NotFound, Message: $"No payment has the key '{outcome.Key}'.");
            if (payment.IsSettled)
            {
                if (payment.Status != target)
                    return new(ConfirmationResult.Contradicts, payment.Status, payment.ProcessNotifiedAt is not null,
                        $"Payment '{payment.Key}' is already {payment.Status}.");
                var told = payment.ProcessNotifiedAt is not null || await TellProcessAsync(payment, payment.Status, payment.FailureReason, null, reportedBy, ct) == true;
                return new(ConfirmationResult.AlreadyRecorded, payment.Status, told);
            }

            void Apply(Payment p)
            {
                if (outcome.Succeeded) p.Confirm(outcome.GatewayReference, clock.GetUtcNow());
                else p.Fail(reason!, clock.GetUtcNow());
            }
            try
            {
                switch (await TellProcessAsync(payment, target, reason, Apply, reportedBy, ct))
                {
                    case true: return new(ConfirmationResult.Recorded, target, ProcessNotified: true);
                    case null: continue;
                }
                // Nobody waits yet: record the outcome alone; the sweep tells the process once it waits.
                var tracked = await db.Set<Payment>().FirstAsync(p => p.Id == payment.Id, ct);
                // A concurrent report got there first (its correlation removed the subscription): look again.
                if (tracked.Version != payment.Version) continue;
                Apply(tracked);
                AddAudit(db, tracked, reportedBy);
                await db.SaveChangesAsync(ct);
                return new(ConfirmationResult.Recorded, target);
            }
            catch (DbUpdateConcurrencyException)
            {
                continue;
            }
            catch (DomainException e)
            {
                return new(ConfirmationResult.Invalid, payment.Status, Message: e.Message);
            }
        }
        return new(ConfirmationResult.Conflict, Message: $"Payment '{outcome.Key}' kept changing; nothing was saved. Try again.");
    }

    /// <summary>
    /// Tells the waiting processes of every settled payment they have not heard about yet (the outcome came before they
    /// waited). Run every few seconds by <see cref="PaymentOutcomeSweep"/>; returns how many processes were told.
    /// </summary>
    public async Task<int> NotifyPendingAsync(CancellationToken ct)
    {
        var pending = await db.Set<Payment>().AsNoTracking()
            .Where(p => p.ProcessNotifiedAt == null && (p.Status == PaymentStatus.Confirmed || p.Status == PaymentStatus.Failed) && p.CorrelationKey != null)
            .Where(p => db.Set<WorkflowInstance>().Any(i => i.Id == p.ProcessInstanceId && i.Status == InstanceStatus.Running))
            .OrderBy(p => p.RequestedAt).Take(100).ToListAsync(ct);
        var told = 0;
        foreach (var payment in pending)
            if (await TellProcessAsync(payment, payment.Status, payment.FailureReason, null, "payment-outcome-sweep", ct) == true) told++;
        return told;
    }

    /// <summary>
    /// Correlates the outcome (<paramref name="status"/>, <paramref name="reason"/>) to the process waiting under the payment's
    /// correlation key; in the same command <paramref name="apply"/> (if any) records it on the payment, and the payment is
    /// marked notified. True: told; false: nobody waits; null: a concurrent change (nothing saved).
    /// </summary>
    private async Task<bool?> TellProcessAsync(Payment payment, PaymentStatus status, string? reason, Action<Payment>? apply, string reportedBy, CancellationToken ct)
    {
        if (payment.CorrelationKey is null) return false;
        var variables = new Dictionary<string, object?>
        {
            [PaymentProcess.Variables.Status] = status.ToString(),
            [PaymentProcess.Variables.FailureReason] = reason,
        };
        var result = await runtime.CorrelateMessageAsync(PaymentProcess.ConfirmedMessage, payment.CorrelationKey, variables, $"payment-outcome:{payment.Key}", ct,
            async (engineDb, token) =>
            {
                var tracked = await engineDb.Set<Payment>().FirstAsync(p => p.Id == payment.Id, token);
                // Changed since it was read (a concurrent report): the command becomes a conflict and the caller looks again.
                if (tracked.Version != payment.Version) throw new DbUpdateConcurrencyException($"Payment {payment.Key} changed meanwhile.");
                if (apply is not null)
                {
                    apply(tracked);
                    AddAudit(engineDb, tracked, reportedBy);
                }
                tracked.MarkProcessNotified(clock.GetUtcNow());
            });
        if (result.IsOk && result.Value > 0)
        {
            logger.LogInformation("Payment {Key} ({Status}): told the process waiting under {CorrelationKey}", payment.Key, status, payment.CorrelationKey);
            return true;
        }
        return result.Outcome == WorkflowOutcome.Conflict ? null : false;
    }

    private void AddAudit(DbContext target, Payment payment, string reportedBy) =>
        audit.Add(target, payment.Status == PaymentStatus.Confirmed ? AuditEvents.PaymentConfirmed : AuditEvents.PaymentFailed, reportedBy,
            $"{payment.Key}: {payment.Value} by {payment.Channel}, gateway reference {payment.GatewayReference}" +
            (payment.FailureReason is { } why ? $", reason: {why}" : ""), payment.CorrelationKey);
}

/// <summary>Every two seconds: tell waiting processes the payment outcomes that arrived before they waited.</summary>
public sealed class PaymentOutcomeSweep(IServiceScopeFactory scopes, ILogger<PaymentOutcomeSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<PaymentConfirmations>().NotifyPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Telling processes their payment outcomes failed; retrying in 2 s");
            }
        }
    }
}
