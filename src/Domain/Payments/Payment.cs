namespace Remediation.Domain.Payments;

/// <summary>Where a payment stands. Requested → Sent → Confirmed or Failed; a confirmed or failed payment never changes again.</summary>
public enum PaymentStatus { Requested, Sent, Confirmed, Failed }

/// <summary>
/// One payment (or parcel, for goods) to a customer, identified by its idempotency <see cref="Key"/>: the approved offer or
/// accepted proposal it pays, so that however often the request is retried the customer is paid once (docs/payments.md).
/// </summary>
public sealed class Payment
{
    /// <summary>ISO 4217's code for "no currency": goods sent by parcel without a value carry 0 XXX.</summary>
    public const string NoCurrency = "XXX";

    public Guid Id { get; private set; }
    public string Key { get; private set; } = null!;
    public decimal Amount { get; private set; }
    public string Currency { get; private set; } = null!;
    public PaymentChannel Channel { get; private set; }
    public Guid CustomerId { get; private set; }
    public string Description { get; private set; } = null!;
    public PaymentStatus Status { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public DateTimeOffset? FailedAt { get; private set; }
    /// <summary>The gateway's own id for the instruction (its transaction or shipment number).</summary>
    public string? GatewayReference { get; private set; }
    /// <summary>How many times the instruction was handed to the gateway (retries after errors and time-outs included).</summary>
    public int Attempts { get; private set; }
    public string? FailureReason { get; private set; }
    /// <summary>The process instance that asked for the payment (opaque here: the workflow engine's id).</summary>
    public Guid? ProcessInstanceId { get; private set; }
    /// <summary>The key under which that instance waits for the outcome (opaque here: e.g. the complaint reference).</summary>
    public string? CorrelationKey { get; private set; }
    /// <summary>When the waiting process was told the outcome; null while it still has to be told.</summary>
    public DateTimeOffset? ProcessNotifiedAt { get; private set; }
    /// <summary>Bumped by every change; the persistence layer uses it as the optimistic concurrency token.</summary>
    public int Version { get; private set; }

    public Money Value => new(Amount, Currency);
    public bool IsSettled => Status is PaymentStatus.Confirmed or PaymentStatus.Failed;

    private Payment() { }

    /// <summary>
    /// A new payment in <see cref="PaymentStatus.Requested"/>. Money moves in a positive amount; only a
    /// <see cref="PaymentChannel.Parcel"/> (goods) may carry none (0, in any currency or <see cref="NoCurrency"/>).
    /// </summary>
    public static Payment Request(string key, Money amount, PaymentChannel channel, Guid customerId, string description,
        DateTimeOffset requestedAt, Guid? processInstanceId = null, string? correlationKey = null)
    {
        ArgumentNullException.ThrowIfNull(amount);
        Guard.Defined(channel, DomainFields.PaymentChannel);
        if (amount.Amount < 0 || amount.Amount == 0 && channel != PaymentChannel.Parcel)
            throw new DomainException(DomainRules.AmountMustBePositive, DomainMessages.AmountMustBePositive);
        if (customerId == Guid.Empty)
            throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(DomainFields.Customer));
        return new Payment
        {
            Id = Guid.NewGuid(),
            Key = Guard.Required(key, DomainFields.PaymentKey, 200, multiLine: false),
            Amount = amount.Amount,
            Currency = amount.Currency,
            Channel = channel,
            CustomerId = customerId,
            Description = Guard.Required(description, DomainFields.Description, 400, multiLine: false),
            Status = PaymentStatus.Requested,
            RequestedAt = requestedAt,
            ProcessInstanceId = processInstanceId,
            CorrelationKey = Guard.Optional(correlationKey, DomainFields.Reference, 200, multiLine: false),
        };
    }

    /// <summary>The instruction is about to go to the gateway (counted before the call, so a call that never answers counts too).</summary>
    public void RecordAttempt()
    {
        Expect(PaymentStatus.Sent, PaymentStatus.Requested);
        Attempts++;
        Version++;
    }

    /// <summary>The gateway accepted the instruction under <paramref name="gatewayReference"/>.</summary>
    public void MarkSent(string gatewayReference, DateTimeOffset at)
    {
        Expect(PaymentStatus.Sent, PaymentStatus.Requested);
        GatewayReference = Guard.Required(gatewayReference, DomainFields.GatewayReference, 200, multiLine: false);
        SentAt = at;
        Status = PaymentStatus.Sent;
        Version++;
    }

    /// <summary>
    /// The gateway confirmed the money (or the parcel) reached the customer. Also from <see cref="PaymentStatus.Requested"/>:
    /// a gateway that took the instruction but timed out before answering confirms it later, and its word is what counts.
    /// </summary>
    public void Confirm(string? gatewayReference, DateTimeOffset at)
    {
        Expect(PaymentStatus.Confirmed, PaymentStatus.Requested, PaymentStatus.Sent);
        GatewayReference = Guard.Optional(gatewayReference, DomainFields.GatewayReference, 200, multiLine: false) ?? GatewayReference;
        SentAt ??= at;
        ConfirmedAt = at;
        Status = PaymentStatus.Confirmed;
        Version++;
    }

    /// <summary>The gateway reported that the payment did not go through (account closed, refused, returned parcel …).</summary>
    public void Fail(string reason, DateTimeOffset at)
    {
        Expect(PaymentStatus.Failed, PaymentStatus.Requested, PaymentStatus.Sent);
        FailureReason = Guard.Required(reason, DomainFields.Reason, 2000, multiLine: false);
        FailedAt = at;
        Status = PaymentStatus.Failed;
        Version++;
    }

    /// <summary>The waiting process was told the outcome (once).</summary>
    public void MarkProcessNotified(DateTimeOffset at)
    {
        if (!IsSettled)
            throw new DomainException(DomainRules.PaymentTransition, DomainMessages.PaymentNotSettled, Key, Status);
        ProcessNotifiedAt ??= at;
        Version++;
    }

    private void Expect(PaymentStatus target, params PaymentStatus[] from)
    {
        if (!from.Contains(Status))
            throw new DomainException(DomainRules.PaymentTransition, DomainMessages.PaymentTransition, Key, Status, target);
    }
}
