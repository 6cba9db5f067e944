namespace Remediation.Portal.Data;

/// <summary>The portal's roles (see docs/architecture in shared/). A user may hold several.</summary>
public static class Roles
{
    public const string Handler = "Handler";
    public const string Supervisor = "Supervisor";
    public const string Approver = "Approver";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Handler, Supervisor, Approver, Admin];
}
