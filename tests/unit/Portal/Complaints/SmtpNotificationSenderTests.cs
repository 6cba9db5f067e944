using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net.Mail;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Xunit;

namespace Remediation.UnitTests.Portal.Complaints;

public sealed class SmtpNotificationSenderTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private readonly TinySmtpServer server = new();

    public async Task InitializeAsync() => host = await ComplaintHost.StartAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await host.DisposeAsync();
    }

    private NotificationOptions Options(string? user = "mailer", string? password = "s3cret") => new()
    {
        Transport = "Smtp",
        From = "service@shop.example",
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Tls = SmtpTlsMode.None, User = user, Password = password },
    };

    private Task SendAsync(NotificationMessage message, NotificationOptions? options = null) =>
        host.WithAsync(async sp =>
        {
            var sender = new SmtpNotificationSender(sp.GetRequiredService<RemediationDbContext>(), options ?? Options(), host.Clock, NullLogger<SmtpNotificationSender>.Instance);
            await sender.SendAsync(message, default);
            return true;
        });

    private Task<List<SentNotification>> SentAsync() =>
        host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<SentNotification>().AsNoTracking().ToListAsync());

    private static NotificationMessage Message(string recipient = "li.lei@customer.example", string key = "ack-1") =>
        new(null, recipient, "Your complaint C-2026-000001", "We received your complaint and will call you today.", key);

    [Fact]
    public async Task Send_DeliversTheMessageOverSmtp_SignedIn_AndRecordsIt()
    {
        await SendAsync(Message());

        var received = Assert.Single(server.Messages);
        Assert.Equal("<service@shop.example>", received.MailFrom);
        Assert.Equal(["<li.lei@customer.example>"], received.RcptTo);
        Assert.Contains("Subject: Your complaint C-2026-000001", received.Data);
        Assert.Contains("li.lei@customer.example", received.Data);
        Assert.Equal(("mailer", "s3cret"), (received.User, received.Password));
        var sent = Assert.Single(await SentAsync());
        Assert.Equal(("Smtp", "ack-1", "li.lei@customer.example"), (sent.Transport, sent.IdempotencyKey, sent.Recipient));
    }

    [Fact]
    public async Task Send_WithoutCredentials_DoesNotSignIn()
    {
        await SendAsync(Message(), Options(user: null, password: null));

        var received = Assert.Single(server.Messages);
        Assert.Null(received.User);
    }

    [Fact]
    public async Task Send_IsANoOp_WhenTheKeyWasAlreadySent()
    {
        await SendAsync(Message());
        await SendAsync(Message());

        Assert.Single(server.Messages);
        Assert.Single(await SentAsync());
    }

    [Fact]
    public async Task Send_Throws_AndRecordsNothing_WhenTheServerRefusesTheRecipient()
    {
        server.RefuseRecipients = true;

        await Assert.ThrowsAsync<SmtpFailedRecipientException>(() => SendAsync(Message()));

        Assert.Empty(await SentAsync()); // the outbox retries the handler later
    }

    [Fact]
    public async Task Send_SkipsARecipientThatIsAPhoneNumber_WithoutRecordingIt()
    {
        await SendAsync(Message(recipient: "+8613800138000"));

        Assert.Empty(server.Messages);
        Assert.Empty(await SentAsync());
    }

    [Theory]
    [InlineData("Notifications:Smtp:Host", "", "Notifications:Smtp:Host is required when Notifications:Transport is Smtp.")]
    [InlineData("Notifications:Smtp:Port", "0", "Notifications:Smtp:Port must be between 1 and 65535, not 0.")]
    [InlineData("Notifications:Smtp:User", "", "Notifications:Smtp:User is required when Notifications:Smtp:Password is set.")]
    [InlineData("Notifications:From", "nobody", "Notifications:From 'nobody' is not an e-mail address.")]
    [InlineData("Notifications:Transport", "Pigeon", "Notifications:Transport 'Pigeon' is not a transport; use File or Smtp.")]
    public void StartUp_IsRefused_NamingTheSetting_WhenTheSmtpConfigurationIsIncomplete(string key, string value, string message)
    {
        var builder = WebApplication.CreateBuilder();
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Transport"] = "Smtp", ["Notifications:From"] = "service@shop.example",
            ["Notifications:Smtp:Host"] = "smtp.shop.example", ["Notifications:Smtp:User"] = "mailer", ["Notifications:Smtp:Password"] = "s3cret",
        };
        settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddComplaintHandling());

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void StartUp_RegistersTheSmtpSender_WhenTheConfigurationIsComplete()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:Transport"] = "Smtp", ["Notifications:Smtp:Host"] = "smtp.shop.example", ["Notifications:Smtp:Tls"] = "StartTls",
        });

        builder.AddComplaintHandling();

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(INotificationSender) && d.ImplementationType == typeof(SmtpNotificationSender));
    }
}
