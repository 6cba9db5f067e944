using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Customers;
using Remediation.Domain.Reviews;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

/// <summary>
/// A review with its replies and messages (owned rows) and its offers (each with its approval chain); always loaded
/// together. Indexes serve the review queue (status + reply due, platform, rating, handler), the customer's history
/// and the platform's external id (unique: the same review imported twice is one review).
/// </summary>
internal sealed class ReviewConfiguration : IEntityTypeConfiguration<Review>
{
    public void Configure(EntityTypeBuilder<Review> builder)
    {
        builder.ToTable("Reviews");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Platform).HasMaxLength(64).IsRequired();
        builder.Property(r => r.ExternalId).HasMaxLength(100).IsRequired();
        builder.HasIndex(r => new { r.Platform, r.ExternalId }).IsUnique();
        builder.Property(r => r.OrderReference).HasMaxLength(64);
        builder.HasIndex(r => r.OrderReference);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.BuyerName).HasMaxLength(200);
        builder.Property(r => r.PlatformBuyerId).HasMaxLength(100);
        builder.HasIndex(r => new { r.Platform, r.PlatformBuyerId });
        builder.Property(r => r.Classification).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(r => r.Text).HasMaxLength(4000).IsRequired();
        builder.Property(r => r.PreviousText).HasMaxLength(4000);
        builder.Property(r => r.Language).HasMaxLength(16);
        builder.Property(r => r.PostedAt).HasConversion(Utc);
        builder.Property(r => r.ReceivedAt).HasConversion(Utc);
        builder.Property(r => r.ReplyDueAt).HasConversion(Utc);
        builder.Property(r => r.ClosedAt).HasConversion(UtcOrNull);
        builder.Property(r => r.EditedAt).HasConversion(UtcOrNull);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(r => r.CloseReason).HasMaxLength(1000);
        builder.Property(r => r.HandlerId).HasMaxLength(UserIdLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.CurrentOffer);
        builder.Ignore(r => r.Key);

        // The queue: reviews not closed, most urgent first, walked in index order and stopped when the page is full (no
        // sort); partial indexes, because "not closed" is not an equality the (Status, …) index could seek. SQLite uses a
        // partial index only when the query repeats its condition: ReviewQueue writes Status != Closed as this constant.
        const string NotClosed = "Status <> 'Closed'";
        builder.HasIndex(r => new { r.ReplyDueAt, r.Id }).HasFilter(NotClosed).HasDatabaseName("IX_Reviews_Open_ReplyDueAt");
        builder.HasIndex(r => new { r.Platform, r.ReplyDueAt, r.Id }).HasFilter(NotClosed).HasDatabaseName("IX_Reviews_Open_Platform_ReplyDueAt");
        builder.HasIndex(r => new { r.Rating, r.ReplyDueAt, r.Id }).HasFilter(NotClosed).HasDatabaseName("IX_Reviews_Open_Rating_ReplyDueAt");
        builder.HasIndex(r => new { r.HandlerId, r.ReplyDueAt, r.Id }).HasFilter(NotClosed).HasDatabaseName("IX_Reviews_Open_HandlerId_ReplyDueAt");
        // One status (the filter, closed ones included), in due order.
        builder.HasIndex(r => new { r.Status, r.ReplyDueAt, r.Id });
        builder.HasIndex(r => r.CustomerId);

        builder.OwnsMany(r => r.Notes, note =>
        {
            note.ToTable("ReviewNotes");
            note.WithOwner().HasForeignKey("ReviewId");
            note.HasKey("ReviewId", nameof(ReviewNote.Number));
            // Set by the domain: without this EF takes the owned row's int key as generated, and a new note for an update.
            note.Property(n => n.Number).ValueGeneratedNever();
            note.Property(n => n.Kind).HasConversion<string>().HasMaxLength(EnumLength);
            note.Property(n => n.Text).HasMaxLength(2000).IsRequired();
            note.Property(n => n.WrittenBy).HasMaxLength(UserIdLength).IsRequired();
            note.Property(n => n.WrittenAt).HasConversion(Utc);
        });

        builder.HasMany(r => r.Offers).WithOne().HasForeignKey("ReviewId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Offers).AutoInclude();
    }
}

internal sealed class CompensationOfferConfiguration : IEntityTypeConfiguration<CompensationOffer>
{
    public void Configure(EntityTypeBuilder<CompensationOffer> builder)
    {
        builder.ToTable("CompensationOffers");
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property<Guid>("ReviewId");
        builder.HasIndex("ReviewId", nameof(CompensationOffer.Number)).IsUnique();
        builder.Property(o => o.Method).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(o => o.Amount).HasPrecision(18, 2);
        builder.Property(o => o.Currency).HasMaxLength(CurrencyLength).IsFixedLength();
        builder.Property(o => o.Channel).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(o => o.Justification).HasMaxLength(2000).IsRequired();
        builder.Property(o => o.ProposedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.Property(o => o.ProposedAt).HasConversion(Utc);
        builder.Property(o => o.ApprovalRoles).HasMaxLength(1000).IsRequired();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(o => o.RejectionReason).HasMaxLength(1000);
        builder.Property(o => o.PaidAt).HasConversion(UtcOrNull);
        builder.Ignore(o => o.Value);
        builder.Ignore(o => o.Chain);
        builder.Ignore(o => o.PaymentKey);
        builder.Ignore(o => o.PendingLevel);
        builder.Ignore(o => o.PendingRole);
        // The consistency panel: approved offers by currency and time.
        builder.HasIndex(o => new { o.Status, o.Currency, o.ProposedAt });

        builder.OwnsMany(o => o.Approvals, a =>
        {
            a.ToTable("OfferApprovals");
            a.WithOwner().HasForeignKey("OfferId");
            a.HasKey("OfferId", nameof(OfferApproval.Level));
            a.Property(x => x.Level).ValueGeneratedNever();
            a.Property(x => x.Role).HasMaxLength(256).IsRequired();
            a.Property(x => x.DecidedBy).HasMaxLength(UserIdLength).IsRequired();
            a.Property(x => x.DecidedAt).HasConversion(Utc);
            a.Property(x => x.Comment).HasMaxLength(1000);
        });
    }
}
