namespace Remediation.Portal.Data;

/// <summary>One security-relevant event: a failed login, a lockout, an authorization denial, an admin change.</summary>
public class AuditEntry
{
    public long Id { get; set; }

    /// <summary>When it happened (UTC).</summary>
    public DateTime OccurredAtUtc { get; set; }

    /// <summary>One of <see cref="AuditEvents"/>.</summary>
    public string Event { get; set; } = "";

    /// <summary>The signed-in user, or the user name that was tried; null when anonymous.</summary>
    public string? UserName { get; set; }

    public string? Detail { get; set; }

    public string? RemoteIp { get; set; }
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
}
