namespace Remediation.Domain;

/// <summary>
/// A business rule refused a change. <see cref="Rule"/> is a stable key (for logs, tests and
/// localised UI messages); <see cref="Exception.Message"/> names the field or step concerned.
/// Nothing is changed when this is thrown.
/// </summary>
public sealed class DomainException(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}

/// <summary>The rule keys carried by <see cref="DomainException.Rule"/>.</summary>
public static class DomainRules
{
    public const string Required = "Required";
    public const string OutOfRange = "OutOfRange";
    public const string InvalidFormat = "InvalidFormat";
    public const string StepOutOfOrder = "StepOutOfOrder";
    public const string ComplaintClosed = "ComplaintClosed";
    public const string ComplaintEscalated = "ComplaintEscalated";
    public const string ApologyAndThanksRequired = "ApologyAndThanksRequired";
    public const string AmountRequired = "AmountRequired";
    public const string AmountNotAllowed = "AmountNotAllowed";
    public const string AmountMustBePositive = "AmountMustBePositive";
    public const string CompensationMethodRequired = "CompensationMethodRequired";
    public const string CompensationMethodNotAllowed = "CompensationMethodNotAllowed";
    public const string RejectionReasonRequired = "RejectionReasonRequired";
    public const string ApproverIsProposer = "ApproverIsProposer";
    public const string NoWorkOrder = "NoWorkOrder";
    public const string AuthorityLimitScope = "AuthorityLimitScope";
}

internal static class Guard
{
    public static string Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException(DomainRules.Required, $"{field} is required.");
        return Optional(value, field, maxLength)!;
    }

    public static string? Optional(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException(DomainRules.OutOfRange, $"{field} must be at most {maxLength} characters.");
        return trimmed;
    }

    public static T Defined<T>(T value, string field) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new DomainException(DomainRules.OutOfRange, $"{field} '{value}' is not a known value.");
        return value;
    }
}
