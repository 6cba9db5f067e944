using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Customers;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("Customers");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Phone).HasConversion(Phone).HasMaxLength(PhoneLength).IsRequired();
        builder.Property(c => c.Email).HasMaxLength(256);
        builder.Property(c => c.Personality).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.BuyingBehaviour).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.ValueClass).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.VipTier).HasConversion<string>().HasMaxLength(EnumLength);
        builder.HasIndex(c => c.Phone);
    }
}
