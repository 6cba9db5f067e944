using Remediation.Domain.Payments;

namespace Remediation.Portal.Payments;

/// <summary>One instruction to the gateway. <see cref="Key"/> is its idempotency key: the same key twice is the same instruction.</summary>
public sealed record PaymentInstruction(string Key, decimal Amount, string Currency, PaymentChannel Channel, Guid CustomerId, string Description);

/// <summary>The gateway took the instruction; <see cref="Reference"/> is its own id for it.</summary>
public sealed record GatewayReceipt(string Reference);

/// <summary>
/// The port to the outside system that moves money (or ships goods, for <see cref="PaymentChannel.Parcel"/>). Its answer is
/// only that the instruction was taken; the outcome arrives later through <see cref="PaymentConfirmations"/> (the webhook).
/// An implementation passes <see cref="PaymentInstruction.Key"/> to the provider as its idempotency key and throws on any
/// failure (error status, time-out, refused connection): the engine's outbox then retries with backoff and finally raises
/// an incident. docs/payments.md says how to plug a real one in.
/// </summary>
public interface IPaymentGateway
{
    Task<GatewayReceipt> SendAsync(PaymentInstruction instruction, CancellationToken cancellationToken);
}

/// <summary>The gateway answered with an error (the development gateway's simulated 500).</summary>
public sealed class PaymentGatewayException(string message) : Exception(message);
