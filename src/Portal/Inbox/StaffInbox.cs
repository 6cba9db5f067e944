using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Inbox;

/// <summary>What a staff notification is about; the text is written in the reader's language when shown.</summary>
public enum StaffNotificationKind
{
    /// <summary>Your proposal was rejected: <see cref="StaffNotification.Actor"/> is the approver, <see cref="StaffNotification.Detail"/> the reason.</summary>
    ProposalRejected,
    /// <summary>A step of a case was handed to you by <see cref="StaffNotification.Actor"/>.</summary>
    CaseHandedToYou,
    /// <summary>A case is past its service level and an escalation waits for a supervisor.</summary>
    EscalationNeedsYou,
}

/// <summary>One entry of a member of staff's inbox (the bell in the navbar).</summary>
public sealed class StaffNotification
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public StaffNotificationKind Kind { get; set; }
    /// <summary>The case reference the entry is about (its link).</summary>
    public string Reference { get; set; } = "";
    public Guid? ComplaintId { get; set; }
    /// <summary>Who did it (display name), when someone did.</summary>
    public string? Actor { get; set; }
    /// <summary>Why (a rejection's reason), when there is a reason.</summary>
    public string? Detail { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }

    public static StaffNotification For(string userId, StaffNotificationKind kind, string reference, Guid? complaintId, DateTime at,
        string? actor = null, string? detail = null) => new()
    {
        Id = Guid.NewGuid(), UserId = userId, Kind = kind, Reference = reference, ComplaintId = complaintId, CreatedAt = at,
        Actor = actor is { Length: > 200 } ? actor[..200] : actor, Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
    };
}

internal sealed class StaffNotificationConfiguration : IEntityTypeConfiguration<StaffNotification>
{
    public void Configure(EntityTypeBuilder<StaffNotification> b)
    {
        b.ToTable("StaffNotifications");
        b.Property(n => n.Id).ValueGeneratedNever();
        b.Property(n => n.UserId).HasMaxLength(450).IsRequired();
        b.Property(n => n.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(n => n.Reference).HasMaxLength(40).IsRequired();
        b.Property(n => n.Actor).HasMaxLength(200);
        b.Property(n => n.Detail).HasMaxLength(1000);
        b.Property(n => n.CreatedAt).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        b.Property(n => n.ReadAt).HasConversion(v => v, v => v == null ? null : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
        // The bell's count and the inbox page: one user's entries, unread first, newest first.
        b.HasIndex(n => new { n.UserId, n.ReadAt, n.CreatedAt });
    }
}

/// <summary>Reads and marks a user's inbox. Entries are added by the code that decides (in its own transaction).</summary>
public sealed class StaffInbox(RemediationDbContext db, IWriteGate writer, TimeProvider clock)
{
    public const int PageSize = 50;

    public Task<int> UnreadCountAsync(string userId, CancellationToken ct) =>
        db.Set<StaffNotification>().AsNoTracking().CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);

    public async Task<IReadOnlyList<StaffNotification>> LatestAsync(string userId, CancellationToken ct) =>
        await db.Set<StaffNotification>().AsNoTracking().Where(n => n.UserId == userId)
            .OrderByDescending(n => n.CreatedAt).Take(PageSize).ToListAsync(ct);

    /// <summary>Marks every unread entry of the user read (one statement, through the write gate).</summary>
    public async Task MarkAllReadAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await writer.RunAsync(() => db.Set<StaffNotification>().Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct), ct);
    }
}
