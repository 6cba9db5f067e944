using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Payments;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

/// <summary>Payments; the unique key is what makes a retried request pay once.</summary>
internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("Payments");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Key).HasMaxLength(200);
        builder.Property(p => p.Amount).HasPrecision(18, 2);
        builder.Property(p => p.Currency).HasMaxLength(CurrencyLength).IsFixedLength();
        builder.Property(p => p.Channel).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(p => p.Description).HasMaxLength(400);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(p => p.RequestedAt).HasConversion(Utc);
        builder.Property(p => p.SentAt).HasConversion(UtcOrNull);
        builder.Property(p => p.ConfirmedAt).HasConversion(UtcOrNull);
        builder.Property(p => p.FailedAt).HasConversion(UtcOrNull);
        builder.Property(p => p.GatewayReference).HasMaxLength(200);
        builder.Property(p => p.FailureReason).HasMaxLength(2000);
        builder.Property(p => p.CorrelationKey).HasMaxLength(200);
        builder.Property(p => p.ProcessNotifiedAt).HasConversion(UtcOrNull);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.Value);
        builder.Ignore(p => p.IsSettled);
        builder.HasIndex(p => p.Key).IsUnique();
        // The outcome sweep: settled payments whose process has not been told yet.
        builder.HasIndex(p => new { p.ProcessNotifiedAt, p.Status });
        builder.HasIndex(p => p.CustomerId);
    }
}
