using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Payments;
using Remediation.Portal.Data;

namespace Remediation.Portal.Payments;

/// <summary>
/// Configuration section <c>Payments:Development</c>: how the development gateway behaves, including the ways real gateways
/// fail (docs/payments.md). One instance for the process; tests change it while the portal runs.
/// </summary>
public sealed class DevelopmentGatewayOptions
{
    /// <summary>How long after taking an instruction the gateway confirms it (through the same path as the webhook).</summary>
    public TimeSpan ConfirmAfter { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Every answer takes this long (a slow gateway).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;
    /// <summary>The first N requests of each key answer 500 and record nothing.</summary>
    public int FailFirst { get; set; }
    /// <summary>Every request answers 500 and records nothing (a gateway that is down).</summary>
    public bool AlwaysFail { get; set; }
    /// <summary>The first N requests of each key are recorded (the instruction is taken) and then time out without an answer.</summary>
    public int TimeoutAfterSuccess { get; set; }
    /// <summary>Confirmations report the payment failed (declined) instead of confirmed.</summary>
    public bool Decline { get; set; }
}

/// <summary>One instruction the development gateway took: the table <c>DevGatewayInstructions</c> (the README names it).</summary>
public sealed class DevelopmentGatewayInstruction
{
    public Guid Id { get; set; }
    public string Key { get; set; } = "";
    public string Reference { get; set; } = "";
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "";
    public PaymentChannel Channel { get; set; }
    public Guid CustomerId { get; set; }
    public string Description { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
    /// <summary>When the gateway confirms (or declines) it.</summary>
    public DateTime ConfirmDueAt { get; set; }
    public DateTime? ConfirmationSentAt { get; set; }
    /// <summary>How many requests with this key reached the gateway after the first (each answered with the same instruction).</summary>
    public int Repeats { get; set; }
}

internal sealed class DevelopmentGatewayInstructionConfiguration : IEntityTypeConfiguration<DevelopmentGatewayInstruction>
{
    public void Configure(EntityTypeBuilder<DevelopmentGatewayInstruction> builder)
    {
        builder.ToTable("DevGatewayInstructions");
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Key).HasMaxLength(200);
        builder.Property(i => i.Reference).HasMaxLength(64);
        builder.Property(i => i.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(i => i.Channel).HasConversion<string>().HasMaxLength(32);
        builder.Property(i => i.Description).HasMaxLength(400);
        builder.Property(i => i.ReceivedAt).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(i => i.ConfirmDueAt).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.HasIndex(i => i.Key).IsUnique();
        builder.HasIndex(i => new { i.ConfirmationSentAt, i.ConfirmDueAt });
    }
}

/// <summary>Counts each key's requests for the failure switches (in memory: the switches are for trying things out).</summary>
public sealed class DevelopmentGatewayCounters
{
    private readonly ConcurrentDictionary<string, int> requests = new(StringComparer.Ordinal);
    public int Next(string key) => requests.AddOrUpdate(key, 1, (_, n) => n + 1);
}

/// <summary>
/// <c>Payments:Gateway</c> = <c>Development</c>: takes every instruction into <c>DevGatewayInstructions</c>, answers by key
/// (the same key again gets the same instruction back, never a second one) and confirms each one
/// <see cref="DevelopmentGatewayOptions.ConfirmAfter"/> later (<see cref="DevelopmentGatewayConfirmer"/>). Its failure switches
/// make it fail as real gateways do.
/// </summary>
public sealed class DevelopmentPaymentGateway(RemediationDbContext db, DevelopmentGatewayOptions options, DevelopmentGatewayCounters counters,
    TimeProvider clock, ILogger<DevelopmentPaymentGateway> logger) : IPaymentGateway
{
    public async Task<GatewayReceipt> SendAsync(PaymentInstruction instruction, CancellationToken cancellationToken)
    {
        if (options.Latency > TimeSpan.Zero) await Task.Delay(options.Latency, clock, cancellationToken);
        var request = counters.Next(instruction.Key);
        if (options.AlwaysFail || request <= options.FailFirst)
            throw new PaymentGatewayException($"The payment gateway answered 500 Internal Server Error (development gateway, request {request} for {instruction.Key}).");

        var taken = await TakeAsync(instruction, cancellationToken);
        if (request <= options.TimeoutAfterSuccess)
            throw new TimeoutException($"The payment gateway did not answer in time (development gateway: instruction {taken.Reference} was taken, then the answer was lost).");
        return new GatewayReceipt(taken.Reference);
    }

    private async Task<DevelopmentGatewayInstruction> TakeAsync(PaymentInstruction instruction, CancellationToken ct)
    {
        var existing = await db.Set<DevelopmentGatewayInstruction>().FirstOrDefaultAsync(i => i.Key == instruction.Key, ct);
        if (existing is not null)
        {
            existing.Repeats++;
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Development gateway: {Key} again, answered with instruction {Reference}", instruction.Key, existing.Reference);
            return existing;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var taken = new DevelopmentGatewayInstruction
        {
            Id = Guid.NewGuid(),
            Key = instruction.Key,
            Reference = $"DEV-{now:yyyyMMdd}-{Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()}",
            Amount = instruction.Amount,
            Currency = instruction.Currency,
            Channel = instruction.Channel,
            CustomerId = instruction.CustomerId,
            Description = instruction.Description,
            ReceivedAt = now,
            ConfirmDueAt = now + options.ConfirmAfter,
        };
        db.Add(taken);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same key at the same moment (a second delivery of the request): the first one's instruction is the answer.
            db.ChangeTracker.Clear();
            var first = await db.Set<DevelopmentGatewayInstruction>().AsNoTracking().FirstOrDefaultAsync(i => i.Key == instruction.Key, ct);
            if (first is null) throw;
            return first;
        }
        logger.LogInformation("Development gateway took {Key}: {Amount} {Currency} by {Channel} as {Reference}",
            instruction.Key, instruction.Amount, instruction.Currency, instruction.Channel, taken.Reference);
        return taken;
    }
}

/// <summary>
/// The development gateway's side of the confirmation: every second, the instructions whose confirmation is due are confirmed
/// (or declined, with <see cref="DevelopmentGatewayOptions.Decline"/>) through <see cref="PaymentConfirmations"/>, the path the
/// webhook takes. The due time is a row, so a restart loses nothing.
/// </summary>
public sealed class DevelopmentGatewayConfirmer(IServiceScopeFactory scopes, DevelopmentGatewayOptions options, TimeProvider clock,
    ILogger<DevelopmentGatewayConfirmer> logger) : BackgroundService
{
    /// <summary>Confirms the due instructions; returns how many.</summary>
    public async Task<int> ConfirmDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        var confirmations = scope.ServiceProvider.GetRequiredService<PaymentConfirmations>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<DevelopmentGatewayInstruction>()
            .Where(i => i.ConfirmationSentAt == null && i.ConfirmDueAt <= now).OrderBy(i => i.ConfirmDueAt).Take(100).ToListAsync(ct);
        foreach (var instruction in due)
        {
            var outcome = await confirmations.RecordAsync(new PaymentOutcome(instruction.Key, !options.Decline, instruction.Reference,
                options.Decline ? "Declined by the development gateway (Payments:Development:Decline)" : null), "development-gateway", ct);
            if (outcome.Result is ConfirmationResult.NotFound)
                logger.LogWarning("Development gateway: no payment {Key} to confirm; dropping instruction {Reference}", instruction.Key, instruction.Reference);
            else if (outcome.Result is ConfirmationResult.Conflict)
                continue; // the process was busy: the next tick tries again
            instruction.ConfirmationSentAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ConfirmDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The development gateway's confirmations failed; retrying in a second");
            }
        }
    }
}
