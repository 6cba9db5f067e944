using System.Security.Claims;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;

namespace Remediation.Portal.Complaints;

public static class PortalUser
{
    /// <summary>The signed-in user as the engine sees them: the Identity user id, the role claims and the sign-in name
    /// (which <c>camunda:candidateUsers</c> names).</summary>
    public static WorkflowUser ToWorkflowUser(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."),
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(), user.Identity?.Name);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(PortalClaims.DisplayName) ?? user.Identity?.Name ?? "";
}
