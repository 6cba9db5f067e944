using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Portal.Data;

namespace Remediation.Portal.Complaints;

/// <summary>A message to a customer or a member of staff. <see cref="IdempotencyKey"/> makes a retried send a no-op.</summary>
public sealed record NotificationMessage(Guid? ComplaintId, string Recipient, string Subject, string Body, string IdempotencyKey);

/// <summary>The port through which the portal sends e-mail/SMS. The development sink writes files; production configures a transport.</summary>
public interface INotificationSender
{
    Task SendAsync(NotificationMessage message, CancellationToken cancellationToken);
}

/// <summary>Configuration section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary><c>File</c> (development sink, the default). Other transports are configuration only for now (docs/complaints.md).</summary>
    public string Transport { get; set; } = "File";

    /// <summary>Sender address shown on messages.</summary>
    public string From { get; set; } = "service@remediation.local";
}

/// <summary>A row per message sent, shown on the case timeline; the unique key makes a retry harmless.</summary>
public sealed class SentNotification
{
    public Guid Id { get; set; }
    public Guid? ComplaintId { get; set; }
    public string Recipient { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public string Transport { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public DateTime SentAt { get; set; }
}

internal sealed class SentNotificationConfiguration : IEntityTypeConfiguration<SentNotification>
{
    public void Configure(EntityTypeBuilder<SentNotification> builder)
    {
        builder.ToTable("SentNotifications");
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Recipient).HasMaxLength(256);
        builder.Property(n => n.Subject).HasMaxLength(400);
        builder.Property(n => n.Body).HasMaxLength(4000);
        builder.Property(n => n.Transport).HasMaxLength(32);
        builder.Property(n => n.IdempotencyKey).HasMaxLength(250);
        builder.Property(n => n.SentAt).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.HasIndex(n => n.IdempotencyKey).IsUnique();
        builder.HasIndex(n => new { n.ComplaintId, n.SentAt });
    }
}

/// <summary>
/// Development sink: each message becomes a file in <c>&lt;DataFolder&gt;/outbox-mail/</c> and a
/// <see cref="SentNotification"/> row. A key already recorded is skipped, so retries send once.
/// </summary>
public sealed class FileNotificationSender(RemediationDbContext db, DatabaseOptions database, IHostEnvironment environment, TimeProvider clock) : INotificationSender
{
    public async Task SendAsync(NotificationMessage message, CancellationToken cancellationToken)
    {
        if (await db.Set<SentNotification>().AnyAsync(n => n.IdempotencyKey == message.IdempotencyKey, cancellationToken)) return;
        var folder = Path.Combine(Path.GetFullPath(database.DataFolder, environment.ContentRootPath), "outbox-mail");
        Directory.CreateDirectory(folder);
        var now = clock.GetUtcNow().UtcDateTime;
        var name = string.Concat(message.IdempotencyKey.Select(c => char.IsLetterOrDigit(c) || c is '-' ? c : '_'));
        await File.WriteAllTextAsync(Path.Combine(folder, $"{now:yyyyMMddHHmmssfff}-{name}.eml"),
            $"Date: {now:R}\r\nTo: {message.Recipient}\r\nSubject: {message.Subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{message.Body}\r\n",
            cancellationToken);
        db.Add(new SentNotification
        {
            Id = Guid.NewGuid(),
            ComplaintId = message.ComplaintId,
            Recipient = Truncate(message.Recipient, 256),
            Subject = Truncate(message.Subject, 400),
            Body = Truncate(message.Body, 4000),
            Transport = "File",
            IdempotencyKey = message.IdempotencyKey,
            SentAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent retry may have recorded the same key first: then the message counts as sent once.
            db.ChangeTracker.Clear();
            if (!await db.Set<SentNotification>().AnyAsync(n => n.IdempotencyKey == message.IdempotencyKey, cancellationToken)) throw;
        }
    }

    private static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;
}
