using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Payments;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Payments;

/// <summary>
/// <c>payment.request</c>: finds the payment by its key or records it (Requested), hands it to the gateway with that key and
/// marks it Sent. A gateway failure throws, so the engine's outbox retries with backoff and at last raises an incident;
/// retrying the incident sends again with the same key, which the gateway answers with the instruction it already holds.
/// A payment already sent or settled is not sent again.
/// </summary>
public sealed class PaymentRequestHandler(RemediationDbContext db, IPaymentGateway gateway, TimeProvider clock, ILogger<PaymentRequestHandler> logger)
    : IWorkflowTopicHandler
{
    public async Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        var request = PaymentRequest.FromVariables(context.Variables);
        var payment = await FindOrRequestAsync(request, context, cancellationToken);
        if (payment.Status != PaymentStatus.Requested) return null;

        payment.RecordAttempt();
        await db.SaveChangesAsync(cancellationToken);
        var receipt = await gateway.SendAsync(new PaymentInstruction(payment.Key, payment.Amount, payment.Currency, payment.Channel,
            payment.CustomerId, payment.Description), cancellationToken);
        try
        {
            payment.MarkSent(receipt.Reference, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The gateway's confirmation got here first (a fast gateway): it already moved the payment on.
            db.ChangeTracker.Clear();
            var now = await db.Set<Payment>().AsNoTracking().Where(p => p.Id == payment.Id).Select(p => p.Status).FirstAsync(cancellationToken);
            if (now == PaymentStatus.Requested) throw;
        }
        logger.LogInformation("Payment {Key} sent as {Reference} (attempt {Attempt})", payment.Key, receipt.Reference, payment.Attempts);
        return null;
    }

    private async Task<Payment> FindOrRequestAsync(PaymentRequest request, TopicContext context, CancellationToken ct)
    {
        var existing = await db.Set<Payment>().FirstOrDefaultAsync(p => p.Key == request.Key, ct);
        if (existing is not null) return existing;
        // The message catch event after this task waits under the instance's correlation key (its business key if it has none).
        var correlationKey = await db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.Id == context.InstanceId)
            .Select(i => i.CorrelationKey ?? i.BusinessKey).FirstOrDefaultAsync(ct);
        var payment = Payment.Request(request.Key, request.Amount, request.Channel, request.CustomerId, request.Description,
            clock.GetUtcNow(), context.InstanceId, correlationKey);
        db.Add(payment);
        try
        {
            await db.SaveChangesAsync(ct);
            return payment;
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same request recorded it first: go on with that one.
            db.ChangeTracker.Clear();
            var first = await db.Set<Payment>().FirstOrDefaultAsync(p => p.Key == request.Key, ct);
            if (first is null) throw;
            return first;
        }
    }
}
