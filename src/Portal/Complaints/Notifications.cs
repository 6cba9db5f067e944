using System.Net;
using System.Net.Mail;
using System.Text;
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

/// <summary>Configuration section <c>Notifications</c> (docs/configuration.md).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary><c>File</c> (development sink, the default) or <c>Smtp</c>.</summary>
    public string Transport { get; set; } = "File";

    /// <summary>Sender address shown on messages.</summary>
    public string From { get; set; } = "service@remediation.local";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary><c>Notifications:Sms:Transport</c>: <c>File</c> (development sink, the default) or <c>None</c>.</summary>
    public SmsOptions Sms { get; set; } = new();

    public bool UsesSmtp => string.Equals(Transport, "Smtp", StringComparison.OrdinalIgnoreCase);

    /// <summary>The problems of this configuration, each naming its setting; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!UsesSmtp && !string.Equals(Transport, "File", StringComparison.OrdinalIgnoreCase))
            problems.Add($"{Section}:Transport '{Transport}' is not a transport; use File or Smtp.");
        if (!Sms.UsesFile && !string.Equals(Sms.Transport, "None", StringComparison.OrdinalIgnoreCase))
            problems.Add($"{Section}:Sms:Transport '{Sms.Transport}' is not a transport; use File or None.");
        if (!MailAddress.TryCreate(From, out _))
            problems.Add($"{Section}:From '{From}' is not an e-mail address.");
        if (!UsesSmtp) return problems;
        var smtp = $"{Section}:Smtp";
        if (string.IsNullOrWhiteSpace(Smtp.Host)) problems.Add($"{smtp}:Host is required when {Section}:Transport is Smtp.");
        if (Smtp.Port is < 1 or > 65535) problems.Add($"{smtp}:Port must be between 1 and 65535, not {Smtp.Port}.");
        if (!Enum.IsDefined(Smtp.Tls)) problems.Add($"{smtp}:Tls must be None or StartTls.");
        if (string.IsNullOrEmpty(Smtp.User) != string.IsNullOrEmpty(Smtp.Password))
            problems.Add($"{smtp}:{(string.IsNullOrEmpty(Smtp.User) ? "User" : "Password")} is required when {smtp}:{(string.IsNullOrEmpty(Smtp.User) ? "Password" : "User")} is set.");
        return problems;
    }
}

/// <summary>
/// How the SMTP connection is secured. System.Net.Mail speaks STARTTLS only: a relay that wants TLS from the first byte
/// (port 465) is not supported; use its submission port (587) with <see cref="StartTls"/>.
/// </summary>
public enum SmtpTlsMode
{
    /// <summary>Plain text (a relay on the same host or a test server only).</summary>
    None,
    /// <summary>STARTTLS is required; the server certificate is validated.</summary>
    StartTls,
}

/// <summary>Configuration section <c>Notifications:Sms</c>.</summary>
public sealed class SmsOptions
{
    public string Transport { get; set; } = "File";
    public bool UsesFile => string.Equals(Transport, "File", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Configuration section <c>Notifications:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpTlsMode Tls { get; set; } = SmtpTlsMode.StartTls;
    /// <summary>Sign-in name; with <see cref="Password"/>, or neither for a relay that needs none.</summary>
    public string? User { get; set; }
    public string? Password { get; set; }
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
/// The bookkeeping every transport shares: a key already in <see cref="SentNotification"/> is skipped, so a retried
/// handler sends once; after delivery the message is recorded (and shown on the case timeline). A crash between
/// delivery and the record sends again on retry (at least once).
/// </summary>
public abstract class RecordingNotificationSender(RemediationDbContext db, TimeProvider clock) : INotificationSender
{
    /// <summary>Written to <see cref="SentNotification.Transport"/>.</summary>
    protected abstract string Transport { get; }

    /// <summary>Hands the message over; false when this transport cannot reach the recipient (nothing is recorded).</summary>
    protected abstract Task<bool> DeliverAsync(NotificationMessage message, DateTime now, CancellationToken cancellationToken);

    public async Task SendAsync(NotificationMessage message, CancellationToken cancellationToken)
    {
        if (await db.Set<SentNotification>().AnyAsync(n => n.IdempotencyKey == message.IdempotencyKey, cancellationToken)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await DeliverAsync(message, now, cancellationToken)) return;
        db.Add(new SentNotification
        {
            Id = Guid.NewGuid(),
            ComplaintId = message.ComplaintId,
            Recipient = Truncate(message.Recipient, 256),
            Subject = Truncate(message.Subject, 400),
            Body = Truncate(message.Body, 4000),
            Transport = Transport,
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

    /// <summary>The development sinks: one file per message in <c>&lt;DataFolder&gt;/<paramref name="subfolder"/></c>, named by time and key.</summary>
    protected static async Task WriteAsync(DatabaseOptions database, IHostEnvironment environment, string subfolder, string extension,
        NotificationMessage message, DateTime now, string content, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetFullPath(database.DataFolder, environment.ContentRootPath), subfolder);
        Directory.CreateDirectory(folder);
        var name = string.Concat(message.IdempotencyKey.Select(c => char.IsLetterOrDigit(c) || c is '-' ? c : '_'));
        await File.WriteAllTextAsync(Path.Combine(folder, $"{now:yyyyMMddHHmmssfff}-{name}{extension}"), content, cancellationToken);
    }
}

/// <summary>Development sink (<c>Notifications:Transport</c> = <c>File</c>): each message becomes a file in <c>&lt;DataFolder&gt;/outbox-mail/</c>.</summary>
public sealed class FileNotificationSender(RemediationDbContext db, DatabaseOptions database, IHostEnvironment environment, TimeProvider clock)
    : RecordingNotificationSender(db, clock)
{
    protected override string Transport => "File";

    protected override async Task<bool> DeliverAsync(NotificationMessage message, DateTime now, CancellationToken cancellationToken)
    {
        await WriteAsync(database, environment, "outbox-mail", ".eml", message, now,
            $"Date: {now:R}\r\nTo: {message.Recipient}\r\nSubject: {message.Subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{message.Body}\r\n",
            cancellationToken);
        return true;
    }
}

/// <summary>
/// <c>Notifications:Transport</c> = <c>Smtp</c>: one SMTP session per message (System.Net.Mail). A failure throws, so the
/// engine's outbox retries the handler. A recipient that is not an e-mail address (a customer known only by phone) needs
/// an SMS transport: it is logged and skipped, not recorded as sent.
/// </summary>
public sealed class SmtpNotificationSender(RemediationDbContext db, NotificationOptions options, TimeProvider clock, ILogger<SmtpNotificationSender> logger)
    : RecordingNotificationSender(db, clock)
{
    /// <summary>One message must not hold a background job for longer than this.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(60);

    protected override string Transport => "Smtp";

    protected override async Task<bool> DeliverAsync(NotificationMessage message, DateTime now, CancellationToken cancellationToken)
    {
        if (!MailAddress.TryCreate(message.Recipient, out var to))
        {
            logger.LogWarning("Not sent by SMTP: {Recipient} is not an e-mail address (no SMS transport); key {Key}", message.Recipient, message.IdempotencyKey);
            return false;
        }
        var smtp = options.Smtp;
        using var mail = new MailMessage(new MailAddress(options.From), to)
        {
            Subject = message.Subject,
            Body = message.Body,
            SubjectEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
        };
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.Tls == SmtpTlsMode.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
            Credentials = string.IsNullOrEmpty(smtp.User) ? null : new NetworkCredential(smtp.User, smtp.Password),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        await client.SendMailAsync(mail, timeout.Token);
        return true;
    }
}

/// <summary>The SMS port: a text to a phone number (E.164). Recorded in <see cref="SentNotification"/> like e-mail.</summary>
public interface ISmsSender
{
    /// <summary>False when no SMS transport is configured (nothing was sent or recorded).</summary>
    Task<bool> SendAsync(NotificationMessage message, CancellationToken cancellationToken);
}

/// <summary>Development SMS sink (<c>Notifications:Sms:Transport</c> = <c>File</c>): each text becomes a file in <c>&lt;DataFolder&gt;/outbox-sms/</c>.</summary>
public sealed class FileSmsSender(RemediationDbContext db, DatabaseOptions database, IHostEnvironment environment, TimeProvider clock)
    : RecordingNotificationSender(db, clock), ISmsSender
{
    protected override string Transport => "Sms";

    protected override async Task<bool> DeliverAsync(NotificationMessage message, DateTime now, CancellationToken cancellationToken)
    {
        await WriteAsync(database, environment, "outbox-sms", ".txt", message, now,
            $"To: {message.Recipient}\n{message.Subject}\n{message.Body}\n", cancellationToken);
        return true;
    }

    async Task<bool> ISmsSender.SendAsync(NotificationMessage message, CancellationToken cancellationToken)
    {
        await SendAsync(message, cancellationToken);
        return true;
    }
}

/// <summary><c>Notifications:Sms:Transport</c> = <c>None</c>: no SMS gateway; customers without e-mail are not messaged.</summary>
public sealed class NoSmsSender : ISmsSender
{
    public Task<bool> SendAsync(NotificationMessage message, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>
/// A message to a customer on the right channel: their e-mail address when known, else a text to their phone number when it
/// is a mobile and an SMS transport is configured, else a call task (<see cref="CustomerCall"/>) for a handler to phone them
/// and read the message out.
/// </summary>
public sealed class CustomerMessages(INotificationSender email, ISmsSender sms, RemediationDbContext db, TimeProvider clock, ILogger<CustomerMessages> logger)
{
    public async Task SendAsync(Guid complaintId, string? emailAddress, string phone, string subject, string body, string idempotencyKey, CancellationToken ct)
    {
        if (emailAddress is not null)
        {
            await email.SendAsync(new NotificationMessage(complaintId, emailAddress, subject, body, idempotencyKey), ct);
            return;
        }
        if (Domain.PhoneNumber.CanReceiveTexts(phone) && await sms.SendAsync(new NotificationMessage(complaintId, phone, subject, body, idempotencyKey), ct))
            return;
        logger.LogInformation("Message {Key}: no e-mail address and no text possible (landline or no SMS transport); a handler will phone", idempotencyKey);
        await CustomerCalls.AddAsync(db, clock, complaintId, phone, subject, body, idempotencyKey, ct);
    }
}
