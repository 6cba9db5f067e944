using Microsoft.Extensions.Localization;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Infrastructure;

/// <summary>What a journal entry says on a case or review timeline, in the reader's language.</summary>
public static class TimelineText
{
    /// <param name="label">The element's English resource key (the page's ElementLabel).</param>
    /// <param name="started">The resource key for the procedure's start ("Procedure started", "Review received").</param>
    public static string Describe(IStringLocalizer l, JournalKind kind, string label, string started) => kind switch
    {
        JournalKind.InstanceStarted => l[started].Value,
        JournalKind.InstanceCompleted => l["Procedure ended"].Value,
        JournalKind.InstanceCancelled => l["Procedure cancelled"].Value,
        JournalKind.Claimed => l["Took the step: {0}", l[label].Value].Value,
        JournalKind.Failed => l["Problem at: {0}", l[label].Value].Value,
        _ => l["Done: {0}", l[label].Value].Value,
    };
}
