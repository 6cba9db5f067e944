using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Complaints;

public enum CallOutcome { Reached, NotReached }

/// <summary>
/// A message that could go neither by e-mail nor by text (no address; a landline, or no SMS transport): a handler phones the
/// customer and reads it out, then records whether they were reached. One per message (its idempotency key).
/// </summary>
public sealed class CustomerCall
{
    public const int NoteLength = 1000;

    public Guid Id { get; set; }
    public Guid ComplaintId { get; set; }
    public string Reference { get; set; } = "";
    public string CustomerName { get; set; } = "";
    /// <summary>E.164.</summary>
    public string Phone { get; set; } = "";
    public string Subject { get; set; } = "";
    /// <summary>The message to read out.</summary>
    public string Message { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public string? CompletedBy { get; set; }
    public DateTime? CompletedAt { get; set; }
    public CallOutcome? Outcome { get; set; }
    public string? Note { get; set; }
    /// <summary>Two handlers recording the same call at once: the second save fails on this token.</summary>
    public int Version { get; set; }
}

internal sealed class CustomerCallConfiguration : IEntityTypeConfiguration<CustomerCall>
{
    public void Configure(EntityTypeBuilder<CustomerCall> b)
    {
        b.ToTable("CustomerCalls");
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Reference).HasMaxLength(40).IsRequired();
        b.Property(c => c.CustomerName).HasMaxLength(200).IsRequired();
        b.Property(c => c.Phone).HasMaxLength(32).IsRequired();
        b.Property(c => c.Subject).HasMaxLength(400).IsRequired();
        b.Property(c => c.Message).HasMaxLength(4000).IsRequired();
        b.Property(c => c.IdempotencyKey).HasMaxLength(250).IsRequired();
        b.Property(c => c.CompletedBy).HasMaxLength(450);
        b.Property(c => c.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Note).HasMaxLength(CustomerCall.NoteLength);
        b.Property(c => c.CreatedAt).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        b.Property(c => c.CompletedAt).HasConversion(v => v, v => v == null ? null : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => c.IdempotencyKey).IsUnique();
        // The open calls, oldest first; a case's calls for its timeline.
        b.HasIndex(c => new { c.CompletedAt, c.CreatedAt });
        b.HasIndex(c => c.ComplaintId);
    }
}

public enum CallResult { Recorded, Invalid, AlreadyRecorded, NotFound }

/// <summary>The calls to make (<c>/Complaints/Calls</c>): open ones oldest first, and recording a call's outcome.</summary>
public sealed class CustomerCalls(RemediationDbContext db, IAuditLog audit, TimeProvider clock)
{
    public const int PageSize = 50;

    public Task<int> OpenCountAsync(CancellationToken ct) =>
        db.Set<CustomerCall>().AsNoTracking().CountAsync(c => c.CompletedAt == null, ct);

    public async Task<IReadOnlyList<CustomerCall>> OpenAsync(CancellationToken ct) =>
        await db.Set<CustomerCall>().AsNoTracking().Where(c => c.CompletedAt == null).OrderBy(c => c.CreatedAt).Take(PageSize).ToListAsync(ct);

    /// <summary>
    /// Records the outcome (a note is required) and closes the call, audited in the same save. A call already recorded by
    /// someone else (now or just before) is <see cref="CallResult.AlreadyRecorded"/>; nothing changes.
    /// </summary>
    public async Task<(CallResult Result, string? Message, CustomerCall? Call)> CompleteAsync(Guid callId, CallOutcome? outcome, string? note,
        string userId, string userName, CancellationToken ct)
    {
        var call = await db.Set<CustomerCall>().FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return (CallResult.NotFound, null, null);
        if (call.CompletedAt is not null) return (CallResult.AlreadyRecorded, null, call);
        if (outcome is null || !Enum.IsDefined(outcome.Value)) return (CallResult.Invalid, "Choose whether the customer was reached.", call);
        if (string.IsNullOrWhiteSpace(note)) return (CallResult.Invalid, "Note is required.", call);
        var text = note.Trim();
        if (text.Length > CustomerCall.NoteLength || !PlainText.IsClean(text, multiLine: true))
            return (CallResult.Invalid, "Note must be plain text of at most 1000 characters.", call);
        call.Outcome = outcome;
        call.Note = text;
        call.CompletedBy = userId;
        call.CompletedAt = clock.GetUtcNow().UtcDateTime;
        call.Version++;
        audit.Add(db, AuditEvents.CustomerCallCompleted, userName, $"{call.Subject}: {outcome} — {text}", call.Reference);
        try
        {
            await db.SaveChangesAsync(ct);
            return (CallResult.Recorded, null, call);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return (CallResult.AlreadyRecorded, null, await db.Set<CustomerCall>().AsNoTracking().FirstAsync(c => c.Id == callId, ct));
        }
    }

    /// <summary>A case's calls, for its timeline.</summary>
    public static IQueryable<CustomerCall> OfComplaint(RemediationDbContext db, Guid complaintId) =>
        db.Set<CustomerCall>().AsNoTracking().Where(c => c.ComplaintId == complaintId).OrderBy(c => c.CreatedAt).Take(100);

    /// <summary>
    /// Writes the call task for a message no channel can carry (<see cref="CustomerMessages"/>); a retry of the same message
    /// (same key) finds it there and adds nothing.
    /// </summary>
    internal static async Task AddAsync(RemediationDbContext db, TimeProvider clock, Guid complaintId, string phone, string subject, string body,
        string idempotencyKey, CancellationToken ct)
    {
        if (await db.Set<CustomerCall>().AnyAsync(c => c.IdempotencyKey == idempotencyKey, ct)) return;
        var complaint = await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes().Where(c => c.Id == complaintId)
            .Select(c => new { c.Reference, c.Contact.ContactName }).FirstAsync(ct);
        db.Add(new CustomerCall
        {
            Id = Guid.NewGuid(), ComplaintId = complaintId, Reference = complaint.Reference.ToString(), CustomerName = complaint.ContactName,
            Phone = phone, Subject = Truncate(subject, 400), Message = Truncate(body, 4000), IdempotencyKey = idempotencyKey,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent retry of the same message wrote it first.
            db.ChangeTracker.Clear();
            if (!await db.Set<CustomerCall>().AnyAsync(c => c.IdempotencyKey == idempotencyKey, ct)) throw;
        }
    }

    private static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;
}
