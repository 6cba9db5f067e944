using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

/// <summary>
/// The complaint aggregate: its step records are child tables that are always loaded with it
/// (auto-include), so behaviour methods see the whole history. Indexes serve the work queue
/// (status + step, created at), lookup by reference and phone, and duplicate detection (phone + order).
/// </summary>
internal sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    /// <summary>
    /// The last four digits of the contact phone, a column the database computes (the SQL is per provider, in
    /// <see cref="RemediationDbContext"/>) so that a "last four digits" search uses an index (docs/performance.md).
    /// </summary>
    internal const string PhoneLast4 = "ContactPhoneLast4";

    public void Configure(EntityTypeBuilder<Complaint> builder)
    {
        builder.ToTable("Complaints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();

        builder.Property(c => c.Reference).HasConversion(Reference).HasMaxLength(16).IsRequired();
        builder.HasIndex(c => c.Reference).IsUnique();

        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);

        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.Category).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.Severity).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.Step).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(c => c.Summary).HasMaxLength(4000).IsRequired();
        builder.Property(c => c.CreatedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(c => c.CreatedAt).HasConversion(Utc);
        builder.Property(c => c.ClosedAt).HasConversion(UtcOrNull);
        builder.Property(c => c.OverdueSince).HasConversion(UtcOrNull);
        builder.Property(c => c.CallbackDueAt).HasConversion(UtcOrNull);
        builder.Property(c => c.Version).IsConcurrencyToken();

        // Case search (ComplaintSearch) lists newest first, by (CreatedAt, Reference): each filter it offers on its own has an
        // index ending in that order, so a page is an index walk that stops when full, never a sort of every match.
        builder.HasIndex(c => new { c.Status, c.Step, c.CreatedAt, c.Reference });
        builder.HasIndex(c => new { c.Status, c.CreatedAt, c.Reference });
        builder.HasIndex(c => new { c.CreatedAt, c.Reference });

        builder.OwnsOne(c => c.Contact, contact =>
        {
            contact.Property(x => x.ContactName).HasColumnName("ContactName").HasMaxLength(200).IsRequired();
            contact.Property(x => x.Phone).HasColumnName("ContactPhone").HasConversion(Phone).HasMaxLength(PhoneLength).IsRequired();
            contact.Property(x => x.Goods).HasColumnName("Goods").HasMaxLength(500);
            contact.Property(x => x.OrderReference).HasColumnName("OrderReference").HasMaxLength(64);
            contact.Property(x => x.PickupAddress).HasColumnName("PickupAddress").HasMaxLength(500);
            contact.Property(x => x.DeliveryAddress).HasColumnName("DeliveryAddress").HasMaxLength(500);
            contact.HasIndex(x => x.Phone);
            contact.HasIndex(x => new { x.Phone, x.OrderReference });
            contact.HasIndex(x => x.OrderReference);
        });
        builder.Navigation(c => c.Contact).IsRequired();
        builder.Property<string>(PhoneLast4).HasMaxLength(4);
        builder.HasIndex(PhoneLast4);

        builder.HasMany(c => c.Vents).WithOne().HasForeignKey("ComplaintId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Apologies).WithOne().HasForeignKey("ComplaintId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Probes).WithOne().HasForeignKey("ComplaintId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Proposals).WithOne().HasForeignKey("ComplaintId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Confirmations).WithOne().HasForeignKey("ComplaintId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.FollowUps).WithOne().HasForeignKey("ComplaintId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.WorkOrder).WithOne().HasForeignKey<WorkOrder>("ComplaintId").IsRequired().OnDelete(DeleteBehavior.Cascade);

        // The aggregate loads with its six step collections; loads of the whole aggregate use AsSplitQuery (one query per
        // collection instead of their cartesian product), lists project or IgnoreAutoIncludes.
        builder.Navigation(c => c.Vents).AutoInclude();
        builder.Navigation(c => c.Apologies).AutoInclude();
        builder.Navigation(c => c.Probes).AutoInclude();
        builder.Navigation(c => c.Proposals).AutoInclude();
        builder.Navigation(c => c.Confirmations).AutoInclude();
        builder.Navigation(c => c.FollowUps).AutoInclude();
        builder.Navigation(c => c.WorkOrder).AutoInclude();
    }
}
