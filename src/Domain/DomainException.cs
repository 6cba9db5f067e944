using System.Globalization;

namespace Remediation.Domain;

/// <summary>
/// A business rule refused a change. <see cref="Rule"/> is a stable key (for logs and tests); <see cref="Template"/>
/// (one of <see cref="DomainMessages"/>) with <see cref="Arguments"/> is the message, so a UI can translate it by the
/// English template. <see cref="Exception.Message"/> is the English text. Nothing is changed when this is thrown.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(string rule, string template, params object?[] arguments)
        : base(string.Format(CultureInfo.InvariantCulture, template, arguments))
    {
        Rule = rule;
        Template = template;
        Arguments = arguments;
    }

    public string Rule { get; }

    /// <summary>The English message with <c>{0}</c> placeholders.</summary>
    public string Template { get; }

    /// <summary>A <see cref="DomainText"/> (a field name) or an enum value is translatable text; anything else is data, shown as is.</summary>
    public IReadOnlyList<object?> Arguments { get; }
}

/// <summary>A field name inside a <see cref="DomainException"/> message (one of <see cref="DomainFields"/>): translated by the UI, unlike data.</summary>
public readonly record struct DomainText(string English)
{
    public override string ToString() => English;
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
    public const string PaymentTransition = "PaymentTransition";
}

/// <summary>
/// Every <see cref="DomainException"/> message template. They are also the keys of the portal's resources
/// (docs/localization.md); a unit test checks each has a Chinese entry.
/// </summary>
public static class DomainMessages
{
    public const string Required = "{0} is required.";
    public const string TooLong = "{0} must be at most {1} characters.";
    public const string UnknownValue = "{0} '{1}' is not a known value.";
    public const string StepOutOfOrder = "This needs step {0}; complaint {1} is at step {2}.";
    public const string ComplaintClosed = "Complaint {0} is closed.";
    public const string ComplaintEscalated = "Complaint {0} has been handed to a supervisor.";
    public const string ClosedCannotBeOverdue = "Complaint {0} is closed; it cannot become overdue.";
    public const string NoWorkOrder = "Complaint {0} has no open work order to resolve.";
    public const string ProposalAlreadyMade = "Proposal {0} was already made on complaint {1}.";
    public const string CallbackBeforeDelivery = "Callback due time cannot be before the delivery time.";
    public const string ReferenceYear = "Reference year {0} must be between 2000 and 9999.";
    public const string ReferenceSequence = "Reference sequence {0} must be between 1 and {1}.";
    public const string ReferencesExhausted = "All {0} references of {1} have been issued.";
    public const string ReferenceFormat = "Reference '{0}' must look like C-2026-000123.";
    public const string ApologyAndThanksRequired = "Both an apology and thanks must be given before the step can be recorded (Apology given, Thanks given).";
    public const string CustomerRejectionReasonRequired = "Reason is required when the customer rejects the proposal.";
    public const string ApproverRejectionReasonRequired = "Reason is required when the approver rejects the proposal.";
    public const string SatisfactionRange = "Satisfaction must be between 1 and 5, not {0}.";
    public const string CurrencyFormat = "Currency '{0}' must be a three-letter ISO 4217 code.";
    public const string AmountDecimals = "Amount may have at most two decimal places.";
    public const string AmountTooLarge = "Amount must be between -{0} and {0}.";
    public const string ControlCharacters = "{0} must not contain control characters.";
    public const string EmailFormat = "E-mail '{0}' is not an e-mail address.";
    public const string PhoneFormat = "{0} '{1}' is not a valid phone number. Numbers outside {2} start with + and the country code.";
    public const string LimitCurrency = "This limit is in {0}; add a separate limit for {1}.";
    public const string AmountNotAllowed = "Amount must be empty for an apology.";
    public const string AmountRequired = "Amount and currency are required for this remedy ({0}).";
    public const string AmountMustBePositive = "Amount must be greater than zero.";
    public const string CompensationMethodRequired = "Compensation method (coupon, cash or gift) is required for compensation.";
    public const string CompensationMethodNotAllowed = "Compensation method applies to compensation only.";
    public const string ApproverIsProposer = "The approver cannot approve or reject their own proposal.";
    public const string PaymentTransition = "Payment {0} is {1}; it cannot become {2}.";
    public const string ContactInFuture = "The contact with the customer cannot be in the future.";
    public const string FollowUpInPast = "The follow-up must be scheduled in the future.";
    public const string PaymentNotSettled = "Payment {0} is {1}; the process can be told only a confirmed or failed outcome.";
    public const string UnknownPlaceholder = "The placeholder {0} is not known; use {1}.";
    public const string LimitMustBePositive = "Maximum amount must be greater than zero.";
}

/// <summary>The field names used in <see cref="DomainException"/> messages (translated by the UI like the messages).</summary>
public static class DomainFields
{
    public const string Account = "Customer's account";
    public const string Approver = "Approver";
    public const string BuyingBehaviour = "Buying behaviour";
    public const string Category = "Category";
    public const string Channel = "Channel";
    public const string Comment = "Comment";
    public const string CompensationMethod = "Compensation method";
    public const string ComplaintContent = "Complaint content";
    public const string ContactChannel = "Contact channel";
    public const string ContactSummary = "Contact summary";
    public const string ContactedAt = "Contacted at";
    public const string RemedyGiven = "Remedy given";
    public const string ContactName = "Contact name";
    public const string Customer = "Customer";
    public const string DeliveryAddress = "Delivery address";
    public const string Description = "Description";
    public const string DesiredResolution = "How the customer wants it resolved";
    public const string Email = "E-mail";
    public const string EmotionalState = "Emotional state";
    public const string FactsNoted = "Facts noted";
    public const string FollowUpAt = "Follow-up date";
    public const string FollowUpMethod = "Follow-up method";
    public const string GatewayReference = "Gateway reference";
    public const string GivenBy = "Given by";
    public const string Goods = "Goods";
    public const string HandedUpBy = "Handed up by";
    public const string HowItHappened = "How it happened";
    public const string IntakeContact = "Intake contact";
    public const string Justification = "Justification";
    public const string Language = "Language";
    public const string Name = "Name";
    public const string OrderReference = "Order reference";
    public const string OtherCauses = "Other causes of dissatisfaction";
    public const string PaymentChannel = "Payment channel";
    public const string PaymentKey = "Payment key";
    public const string Personality = "Personality";
    public const string Phone = "Phone";
    public const string PickupAddress = "Pickup address";
    public const string Product = "Which product or service";
    public const string ProposedBy = "Proposed by";
    public const string Reason = "Reason";
    public const string ReceivedBy = "Received by";
    public const string RecordedBy = "Recorded by";
    public const string Reference = "Reference";
    public const string RemedyType = "Remedy type";
    public const string RepresentativeInvolved = "Representative involved";
    public const string Resolution = "Resolution";
    public const string ResolvedBy = "Resolved by";
    public const string Role = "Role";
    public const string Severity = "Severity";
    public const string Step = "Step";
    public const string TemplateText = "Template text";
    public const string User = "User";
    public const string ValueClass = "Value class";
    public const string VipTier = "VIP tier";
    public const string WhatHappened = "What happened";
    public const string WhyDissatisfied = "Why the customer is dissatisfied";
    public const string WordsUsed = "Words used";
}

internal static class Guard
{
    public static string Required(string? value, string field, int maxLength, bool multiLine = true)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException(DomainRules.Required, DomainMessages.Required, new DomainText(field));
        return Optional(value, field, maxLength, multiLine)!;
    }

    public static string? Optional(string? value, string field, int maxLength, bool multiLine = true)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.TooLong, new DomainText(field), maxLength);
        if (!PlainText.IsClean(trimmed, multiLine))
            throw new DomainException(DomainRules.InvalidFormat, DomainMessages.ControlCharacters, new DomainText(field));
        return trimmed;
    }

    public static T Defined<T>(T value, string field) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.UnknownValue, new DomainText(field), Convert.ToInt64(value, CultureInfo.InvariantCulture));
        return value;
    }
}

/// <summary>
/// What stored text may contain: no control characters (NUL, escape, backspace, …), which corrupt exports, logs and
/// other systems' parsers. Multi-line text may hold tabs and line breaks; a single-line field may not.
/// </summary>
public static class PlainText
{
    public static bool IsClean(string? value, bool multiLine)
    {
        if (value is null) return true;
        foreach (var c in value)
            if (char.IsControl(c) && !(multiLine && c is '\t' or '\n' or '\r')) return false;
        return true;
    }
}
