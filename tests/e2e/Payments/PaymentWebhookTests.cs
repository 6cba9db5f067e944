using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Domain;
using Remediation.Domain.Payments;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Remediation.Portal.Payments;
using Xunit;

namespace Remediation.E2ETests.Payments;

/// <summary>The gateway's webhook on the real app: signed reports only, problem details for every refusal, idempotent.</summary>
[Collection(PortalCollection.Name)]
public sealed class PaymentWebhookTests(PortalFixture portal)
{
    /// <summary>appsettings.Development.json's secret (the app runs in Development).</summary>
    private const string Secret = "development-only-webhook-secret";

    private async Task<string> PaymentAsync()
    {
        var key = $"review-offer:{Guid.NewGuid()}";
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        var payment = Payment.Request(key, new Money(300m, "CNY"), PaymentChannel.Alipay, Guid.NewGuid(), "Webhook test", DateTimeOffset.UtcNow);
        payment.RecordAttempt();
        payment.MarkSent("GW-7", DateTimeOffset.UtcNow);
        db.Add(payment);
        await db.SaveChangesAsync();
        return key;
    }

    private async Task<HttpResponseMessage> PostAsync(object report, string? signature = "sign")
    {
        using var client = new PortalHttp(portal.BaseUrl);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(report));
        var request = new HttpRequestMessage(HttpMethod.Post, PaymentApi.Route.TrimStart('/')) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null) request.Headers.Add(PaymentApi.SignatureHeader, signature == "sign" ? PaymentApi.Sign(Secret, body) : signature);
        return await client.SendAsync(request);
    }

    private async Task<Payment> LoadAsync(string key)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RemediationDbContext>().Set<Payment>().AsNoTracking().SingleAsync(p => p.Key == key);
    }

    [Fact]
    public async Task SignedConfirmation_IsRecordedOnce()
    {
        var key = await PaymentAsync();

        using var first = await PostAsync(new { paymentKey = key, status = "Confirmed", gatewayReference = "GW-7" });
        var confirmedAt = (await LoadAsync(key)).ConfirmedAt;
        using var again = await PostAsync(new { paymentKey = key, status = "Confirmed", gatewayReference = "GW-7" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Confirmed", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var payment = await LoadAsync(key);
        Assert.Equal((PaymentStatus.Confirmed, confirmedAt), (payment.Status, payment.ConfirmedAt));

        using var contradicting = await PostAsync(new { paymentKey = key, status = "Failed", reason = "Late refusal" });
        await AssertProblemAsync(contradicting, HttpStatusCode.Conflict);
        Assert.Equal(PaymentStatus.Confirmed, (await LoadAsync(key)).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000")]
    public async Task MissingOrWrongSignature_Is401_AndChangesNothing(string? signature)
    {
        var key = await PaymentAsync();

        using var response = await PostAsync(new { paymentKey = key, status = "Confirmed" }, signature);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(PaymentStatus.Sent, (await LoadAsync(key)).Status);
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<RemediationDbContext>().Set<AuditEntry>()
            .AnyAsync(a => a.Event == AuditEvents.AccessDenied && a.Detail!.Contains(PaymentApi.Route)));
    }

    [Fact]
    public async Task UnknownKey_Is404Problem()
    {
        using var response = await PostAsync(new { paymentKey = "review-offer:no-such-offer", status = "Confirmed" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("review-offer:no-such-offer", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task BadReport_Is400_NamingEachField_AndChangesNothing()
    {
        var key = await PaymentAsync();

        using var response = await PostAsync(new { paymentKey = key, status = "Failed" });
        using var empty = await PostAsync(new { status = "Paid" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        var errors = (await AssertProblemAsync(empty, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("paymentKey", out _));
        Assert.True(errors.TryGetProperty("status", out _));
        Assert.Equal(PaymentStatus.Sent, (await LoadAsync(key)).Status);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
