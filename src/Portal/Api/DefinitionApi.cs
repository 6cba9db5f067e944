using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Api;

/// <summary>
/// GET /api/definitions/{id}/xml: the BPMN XML of a published definition version, for the case page's diagram.
/// A published version never changes (a new version gets a new id), so the browser may keep it for a year and the
/// case page no longer carries ~31 KB of XML in every response. <c>private</c>, not <c>public</c>: the answer needs
/// a signed-in user, so no shared cache may hand it on. Drafts (editable) are not served here.
/// </summary>
public static class DefinitionApi
{
    public const string XmlRoute = "/api/definitions/{id:guid}/xml";

    public static string XmlUrl(Guid id) => $"/api/definitions/{id}/xml";

    public static IEndpointConventionBuilder MapDefinitionApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(XmlRoute, GetXmlAsync)
            .RequireAuthorization(p => p.RequireRole(Roles.Handler, Roles.Supervisor, Roles.Approver, Roles.Admin));

    internal static async Task<IResult> GetXmlAsync(Guid id, RemediationDbContext db, HttpContext http, CancellationToken ct)
    {
        var xml = await db.Set<WorkflowDefinition>().AsNoTracking()
            .Where(d => d.Id == id && d.Status == DefinitionStatus.Published).Select(d => d.Xml).FirstOrDefaultAsync(ct);
        if (xml is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return Results.Text(xml, "application/xml; charset=utf-8");
    }
}
