using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Payments;

/// <summary>
/// <c>POST /api/payments/confirmations</c>: the gateway's webhook. No user signs in: the request is authenticated by an
/// HMAC-SHA256 of the raw body with the shared secret <c>Payments:Webhook:Secret</c>, sent as
/// <c>X-Payment-Signature: sha256=&lt;hex&gt;</c>. A missing or wrong signature is refused (401) and audited; a valid report is
/// recorded through <see cref="PaymentConfirmations"/> (docs/payments.md). Sending the same report again is harmless.
/// </summary>
public static class PaymentApi
{
    public const string Route = "/api/payments/confirmations";
    public const string SignatureHeader = "X-Payment-Signature";

    public sealed class Report
    {
        public string? PaymentKey { get; set; }
        /// <summary>"Confirmed" or "Failed".</summary>
        public string? Status { get; set; }
        public string? GatewayReference { get; set; }
        /// <summary>Why it failed (for "Failed").</summary>
        public string? Reason { get; set; }
    }

    public sealed record Answer(string PaymentKey, string Status, bool ProcessNotified);

    public static IEndpointConventionBuilder MapPaymentApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, ReceiveAsync).AllowAnonymous().DisableAntiforgery();

    /// <summary>The signature header's value for <paramref name="body"/> (the gateway computes the same).</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    internal static async Task<IResult> ReceiveAsync(HttpRequest request, PaymentOptions options, PaymentConfirmations confirmations,
        IAuditLog audit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        var sent = request.Headers[SignatureHeader].ToString();
        if (string.IsNullOrEmpty(options.Webhook.Secret) || !SignatureMatches(options.Webhook.Secret, body, sent))
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, "payment-webhook",
                $"{Route}: {(string.IsNullOrEmpty(sent) ? "no" : "a wrong")} {SignatureHeader} from {request.HttpContext.Connection.RemoteIpAddress}", CancellationToken.None);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: $"The {SignatureHeader} header is missing or does not match the body.");
        }

        Report? report;
        try
        {
            report = JsonSerializer.Deserialize<Report>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a JSON object.");
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(report?.PaymentKey)) errors["paymentKey"] = ["paymentKey is required."];
        var succeeded = report?.Status?.Trim() switch
        {
            var s when string.Equals(s, "Confirmed", StringComparison.OrdinalIgnoreCase) => true,
            var s when string.Equals(s, "Failed", StringComparison.OrdinalIgnoreCase) => false,
            _ => (bool?)null,
        };
        if (succeeded is null) errors["status"] = ["status must be Confirmed or Failed."];
        if (succeeded == false && string.IsNullOrWhiteSpace(report?.Reason)) errors["reason"] = ["reason is required when status is Failed."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The report was not recorded: correct the fields listed.");

        var outcome = await confirmations.RecordAsync(new PaymentOutcome(report!.PaymentKey!.Trim(), succeeded!.Value, report.GatewayReference, report.Reason),
            "payment-webhook", ct);
        return outcome.Result switch
        {
            ConfirmationResult.Recorded or ConfirmationResult.AlreadyRecorded =>
                TypedResults.Ok(new Answer(report.PaymentKey.Trim(), outcome.Status!.Value.ToString(), outcome.ProcessNotified)),
            ConfirmationResult.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: outcome.Message),
            ConfirmationResult.Contradicts => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: outcome.Message),
            ConfirmationResult.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: outcome.Message),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: outcome.Message),
        };
    }

    private static bool SignatureMatches(string secret, byte[] body, string sent) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(sent.Trim()));
}
