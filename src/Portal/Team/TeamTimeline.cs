using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;

namespace Remediation.Portal.Team;

/// <summary>A supervisor's changes to a case's (or a review's) tasks, in words, for its timeline.</summary>
public static class TeamTimeline
{
    /// <param name="label">The English resource key naming a task's element (the page's ElementLabel).</param>
    public static async Task<IReadOnlyList<(DateTime At, string What, string? Who)>> EntriesAsync(RemediationDbContext db,
        IStringLocalizer l, string reference, Func<string?, string> label, CancellationToken ct)
    {
        var changes = await db.Set<TaskChange>().AsNoTracking().Where(c => c.Reference == reference).OrderBy(c => c.At).Take(200).ToListAsync(ct);
        if (changes.Count == 0) return [];
        var ids = changes.Select(c => c.ByUserId).Concat(changes.Select(c => c.ToUserId)).OfType<string>().Distinct().ToList();
        var names = (await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct))
            .ToDictionary(u => u.Id, u => ComplaintSteps.DisplayName(u.Id, u.DisplayName, u.UserName));
        string Name(string? id) => id is null ? "" : names.GetValueOrDefault(id, id);
        return changes.Select(c =>
        {
            var step = l[label(c.ElementId)].Value;
            var what = c.Kind switch
            {
                TaskChangeKind.Reassigned => l["{0} handed to {1}", step, Name(c.ToUserId)].Value,
                TaskChangeKind.TakenOver => l["{0} taken over by the supervisor", step].Value,
                TaskChangeKind.ReturnedToPool => l["{0} returned to the pool", step].Value,
                _ => l["{0} due date moved to {1}: {2}", step,
                    c.DueAt?.ToLocalTime().ToString("g", CultureInfo.CurrentCulture) ?? "", c.Reason ?? ""].Value,
            };
            return (c.At, what, (string?)Name(c.ByUserId));
        }).ToList();
    }
}
