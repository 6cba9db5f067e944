namespace Remediation.Portal.Data;

/// <summary>
/// One security- or privacy-relevant event: a failed login, a lockout, an authorization denial, an admin change, an action
/// on a complaint, a case read (who saw which case and customer, for PIPL/GDPR access audits). Shown on /Admin/Audit.
/// </summary>
public class AuditEntry
{
    public const int UserNameLength = 256;
    public const int DetailLength = 2000;

    public long Id { get; set; }

    /// <summary>When it happened (UTC).</summary>
    public DateTime OccurredAtUtc { get; set; }

    /// <summary>One of <see cref="AuditEvents"/>.</summary>
    public string Event { get; set; } = "";

    /// <summary>The signed-in user, or the user name that was tried; null when anonymous.</summary>
    public string? UserName { get; set; }

    public string? Detail { get; set; }

    public string? RemoteIp { get; set; }

    /// <summary>The complaint the event is about (its reference), when there is one; indexed for the audit page's filter.</summary>
    public string? CaseReference { get; set; }

    /// <summary>The customer whose data was shown (case reads).</summary>
    public Guid? CustomerId { get; set; }

    public static string? Truncate(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}

public static class AuditEvents
{
    public const string LoginFailed = "LoginFailed";
    public const string LockedOut = "LockedOut";
    public const string AccessDenied = "AccessDenied";
    public const string RejectedInput = "RejectedInput";
    public const string UserCreated = "UserCreated";
    public const string UserChanged = "UserChanged";
    public const string PasswordReset = "PasswordReset";
    public const string WorkOrderResolved = "WorkOrderResolved";
    public const string EscalationHandled = "EscalationHandled";
    public const string AvoidedPhraseAcknowledged = "AvoidedPhraseAcknowledged";
    public const string CaseViewed = "CaseViewed";
    public const string WorkflowUploaded = "WorkflowUploaded";
    public const string WorkflowCreated = "WorkflowCreated";
    public const string WorkflowPublished = "WorkflowPublished";
    public const string IncidentRetried = "IncidentRetried";
    public const string InstanceCancelled = "InstanceCancelled";
    public const string InstanceMigrated = "InstanceMigrated";
    public const string InstanceModified = "InstanceModified";
    public const string PaymentConfirmed = "PaymentConfirmed";
    public const string PaymentFailed = "PaymentFailed";
    public const string IncentiveRefused = "IncentiveRefused";
    public const string ReviewClosedManually = "ReviewClosedManually";
    public const string ReviewEditRecorded = "ReviewEditRecorded";
    public const string TaskReassigned = "TaskReassigned";
    public const string TaskReturnedToPool = "TaskReturnedToPool";
    public const string TaskDueDateExtended = "TaskDueDateExtended";
    public const string CustomerCallCompleted = "CustomerCallCompleted";
    public const string CustomerProfileChanged = "CustomerProfileChanged";
    public const string ReplyTemplateChanged = "ReplyTemplateChanged";
    public const string ReplyTemplateDeleted = "ReplyTemplateDeleted";
    public const string AuthorityLimitChanged = "AuthorityLimitChanged";
    public const string ApprovalMatrixChanged = "ApprovalMatrixChanged";

    /// <summary>Every event, for the audit page's filter.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        AccessDenied, ApprovalMatrixChanged, AuthorityLimitChanged, AvoidedPhraseAcknowledged, CaseViewed,
        CustomerCallCompleted, CustomerProfileChanged, EscalationHandled, IncentiveRefused, IncidentRetried,
        InstanceCancelled, InstanceMigrated, InstanceModified, LockedOut, LoginFailed, PasswordReset, PaymentConfirmed,
        PaymentFailed, RejectedInput, ReplyTemplateChanged, ReplyTemplateDeleted, ReviewClosedManually,
        ReviewEditRecorded, TaskDueDateExtended, TaskReassigned, TaskReturnedToPool, UserChanged, UserCreated,
        WorkOrderResolved, WorkflowCreated, WorkflowPublished, WorkflowUploaded,
    ];
}
