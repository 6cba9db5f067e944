using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Remediation.Portal.Complaints;

namespace Remediation.Portal.Api;

/// <summary>
/// POST /api/complaints: intake for channels other than the phone script (web form, chat, e-mail gateway).
/// Cookie-authenticated, Handler role; a JSON body cannot be sent cross-site without CORS, so no antiforgery token.
/// </summary>
public static class ComplaintApi
{
    public sealed class Request
    {
        public string? ContactName { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? Goods { get; set; }
        public string? OrderReference { get; set; }
        public string? PickupAddress { get; set; }
        public string? DeliveryAddress { get; set; }
        public string? Channel { get; set; }
        public string? Category { get; set; }
        public string? Severity { get; set; }
        public string? Account { get; set; }
        /// <summary>Create even when a likely duplicate exists (otherwise 409 lists the duplicates).</summary>
        public bool AllowDuplicate { get; set; }
    }

    public sealed record Created(Guid Id, string Reference);

    public static IEndpointConventionBuilder MapComplaintApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapScriptCheckApi();
        endpoints.MapDefinitionApi();
        return endpoints.MapPost("/api/complaints", CreateAsync).RequireAuthorization(ComplaintPolicies.Handler).DisableAntiforgery();
    }

    internal static async Task<Results<Created<Created>, ValidationProblem, Conflict<ProblemDetailsWithDuplicates>>> CreateAsync(
        Request body, ComplaintIntake intake, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var request = new IntakeRequest
        {
            ContactName = body.ContactName, Phone = body.Phone, Email = body.Email, Goods = body.Goods, OrderReference = body.OrderReference,
            PickupAddress = body.PickupAddress, DeliveryAddress = body.DeliveryAddress, Account = body.Account,
            Channel = ParseEnum(body.Channel, Domain.Complaints.ComplaintChannel.Web, nameof(body.Channel), errors),
            Category = ParseEnum(body.Category, Domain.Complaints.ComplaintCategory.Other, nameof(body.Category), errors),
            Severity = ParseEnum(body.Severity, Domain.Complaints.ComplaintSeverity.Medium, nameof(body.Severity), errors),
        };
        foreach (var e in ComplaintIntake.Validate(request)) errors[Camel(e.Field)] = [string.Format(e.Message, e.Arguments)];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The complaint was not saved: correct the fields listed.");

        var result = await intake.ReceiveAsync(request, user.FindFirstValue(ClaimTypes.NameIdentifier)!, body.AllowDuplicate, ct);
        return result.Outcome switch
        {
            IntakeOutcome.PossibleDuplicate => TypedResults.Conflict(new ProblemDetailsWithDuplicates(
                "A complaint from this phone about this order was received in the last 7 days. Link to it, or send allowDuplicate: true.",
                result.Duplicates!.Select(d => d.Reference).ToList())),
            IntakeOutcome.Invalid => TypedResults.ValidationProblem(result.Errors!.ToDictionary(e => Camel(e.Field), e => new[] { string.Format(e.Message, e.Arguments) })),
            _ => TypedResults.Created($"/Complaints/Case?id={result.ComplaintId}", new Created(result.ComplaintId!.Value, result.Reference!)),
        };
    }

    public sealed record ProblemDetailsWithDuplicates(string Title, IReadOnlyList<string> Duplicates)
    {
        public int Status => StatusCodes.Status409Conflict;
    }

    private static T ParseEnum<T>(string? value, T fallback, string field, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)) return parsed;
        errors[Camel(field)] = [$"{field} must be one of: {string.Join(", ", Enum.GetNames<T>())}."];
        return fallback;
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>GET /api/script-check?text=…: the avoided phrases in a draft text (the script assistant's live check).</summary>
public static class ScriptCheckApi
{
    public sealed record Match(string Chinese, string English, string Matched, int Index);

    public static IEndpointConventionBuilder MapScriptCheckApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/script-check", (string? text) =>
            TypedResults.Ok(Domain.Scripts.ScriptAssistant.FindAvoidedPhrases(text is { Length: > 8000 } ? text[..8000] : text)
                .Select(m => new Match(m.Phrase.Chinese, m.Phrase.English, m.MatchedText, m.Index)).ToList()))
            .RequireAuthorization(ComplaintPolicies.Handler);
}
