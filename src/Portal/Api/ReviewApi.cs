using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Remediation.Portal.Complaints;
using Remediation.Portal.Reviews;

namespace Remediation.Portal.Api;

/// <summary>
/// <c>POST /api/reviews</c> (one review, JSON) and <c>POST /api/reviews/import?dryRun=true|false</c> (CSV). Cookie-authenticated,
/// Handler role; no antiforgery token (neither body can be sent cross-site without CORS: JSON and text/csv are not simple forms).
/// </summary>
public static class ReviewApi
{
    public sealed class Request
    {
        public string? Platform { get; set; }
        public string? ExternalId { get; set; }
        /// <summary>A number 1–5 (read by hand so that a wrong type is reported under its field, not as an unreadable body).</summary>
        public JsonElement? Rating { get; set; }
        public string? Text { get; set; }
        public string? PostedAt { get; set; }
        public string? OrderReference { get; set; }
        public string? Language { get; set; }
        public ReviewCustomerInput? Customer { get; set; }
    }

    public sealed record Created(Guid Id);

    public sealed record ImportAnswer(int Imported, int Duplicates, IReadOnlyList<ImportAnswerError> Errors, int BadRows, bool ErrorsTruncated);

    public sealed record ImportAnswerError(int Line, string Column, string Message);

    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/reviews", CreateAsync).RequireAuthorization(ComplaintPolicies.Handler).DisableAntiforgery();
        endpoints.MapPost("/api/reviews/import", ImportAsync).RequireAuthorization(ComplaintPolicies.Handler).DisableAntiforgery();
        return endpoints;
    }

    internal static async Task<Results<Created<Created>, Ok<Created>, ValidationProblem>> CreateAsync(Request body, ReviewIntake intake, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var input = new ReviewInput
        {
            Platform = body.Platform, ExternalId = body.ExternalId, Text = body.Text, OrderReference = body.OrderReference, Language = body.Language,
            Customer = body.Customer ?? new ReviewCustomerInput(),
        };
        if (body.Rating is { ValueKind: not JsonValueKind.Null } rating)
        {
            if (rating.ValueKind == JsonValueKind.Number && rating.TryGetInt32(out var r)) input.Rating = r;
            else errors["rating"] = ["Rating must be a whole number from 1 to 5."];
        }
        if (!string.IsNullOrWhiteSpace(body.PostedAt))
        {
            if (DateTimeOffset.TryParse(body.PostedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) input.PostedAt = at;
            else errors["postedAt"] = ["Posted at must be an ISO 8601 date and time, e.g. 2026-11-28T14:30:00+08:00."];
        }
        var result = await intake.ReceiveAsync(input, user.FindFirstValue(ClaimTypes.NameIdentifier)!, ct);
        if (result.Outcome == ReviewIntakeOutcome.Invalid || errors.Count > 0)
        {
            foreach (var e in result.Errors ?? []) errors.TryAdd(e.Field, [string.Format(CultureInfo.InvariantCulture, e.Message, e.Arguments)]);
            return TypedResults.ValidationProblem(errors, title: "The review was not saved: correct the fields listed.");
        }
        var created = new Created(result.ReviewId!.Value);
        return result.Outcome == ReviewIntakeOutcome.Created
            ? TypedResults.Created($"/Reviews/Review?id={created.Id}", created)
            : TypedResults.Ok(created);
    }

    internal static async Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> ImportAsync(HttpRequest request, bool? dryRun, ReviewImport import,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem("Send the CSV with Content-Type: text/csv (optionally ; charset=utf-8 or gb18030).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        // Seekable so the encoding can be detected from the first bytes; past 1 MB it is buffered to a temporary file, not memory.
        await using var body = new FileBufferingReadStream(request.Body, 1024 * 1024);
        await body.DrainAsync(ct);
        body.Position = 0;
        var summary = await import.RunAsync(body, type.Charset.Value, dryRun ?? true, user.FindFirstValue(ClaimTypes.NameIdentifier)!, ct);
        return TypedResults.Ok(Answer(summary));
    }

    public static ImportAnswer Answer(ImportSummary s) => new(s.Imported, s.Duplicates,
        s.Errors.Select(e => new ImportAnswerError(e.Line, e.Column, string.Format(CultureInfo.InvariantCulture, e.Message, e.Arguments))).ToList(),
        s.BadRows, s.ErrorsTruncated);
}
