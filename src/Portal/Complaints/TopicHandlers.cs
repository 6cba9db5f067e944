using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Portal.Data;
using Remediation.Portal.Inbox;
using Remediation.Workflows;

namespace Remediation.Portal.Complaints;

internal static class TopicVariables
{
    public static Guid ComplaintId(this TopicContext context) =>
        context.Variables["complaintId"]?.GetValue<string>() is { } text && Guid.TryParse(text, out var id)
            ? id
            : throw new InvalidOperationException($"Instance {context.InstanceId} has no complaintId variable.");

    public static string? Text(this JsonObject variables, string name) =>
        variables[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static async Task<Complaint> LoadComplaintAsync(this RemediationDbContext db, Guid id, CancellationToken ct) =>
        await db.Set<Complaint>().AsSplitQuery().FirstOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new InvalidOperationException($"Complaint {id} does not exist.");
}

/// <summary><c>complaint.acknowledge</c>: tells the customer the complaint was received and when they will hear back (004).</summary>
public sealed class AcknowledgeComplaintHandler(RemediationDbContext db, CustomerMessages messages) : IWorkflowTopicHandler
{
    public async Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        var complaint = await db.LoadComplaintAsync(context.ComplaintId(), cancellationToken);
        var customer = await db.Set<Customer>().AsNoTracking().FirstAsync(c => c.Id == complaint.CustomerId, cancellationToken);
        var within = context.Variables.Text("slaVent") is { } sla ? XmlConvert.ToTimeSpan(sla) : TimeSpan.FromHours(4);
        // E-mail when known, else a text to the phone number (CustomerMessages).
        await messages.SendAsync(complaint.Id, customer.Email, customer.Phone.Value,
            $"Complaint {complaint.Reference} received / 投诉 {complaint.Reference} 已受理",
            $"Dear {complaint.Contact.ContactName}, thank you for telling us. We have recorded your complaint {complaint.Reference} " +
            $"and will contact you within {Within(within).English}.\n" +
            $"{complaint.Contact.ContactName},您好!感谢您告诉我们。您的投诉 {complaint.Reference} 已登记,我们将在 {Within(within).Chinese}内与您联系。",
            context.IdempotencyKey, cancellationToken);
        return null;
    }

    /// <summary>"30 minutes" / "30 分钟" below an hour (a Diamond customer's Vent time), else "4 hours" / "4 小时" ("1.5 hours").</summary>
    public static (string English, string Chinese) Within(TimeSpan span)
    {
        if (span < TimeSpan.FromHours(1))
        {
            var minutes = Math.Max(1, (int)Math.Ceiling(span.TotalMinutes));
            return (minutes == 1 ? "1 minute" : $"{minutes} minutes", $"{minutes} 分钟");
        }
        var hours = span.TotalHours.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return (hours == "1" ? "1 hour" : $"{hours} hours", $"{hours} 小时");
    }
}

/// <summary>
/// <c>complaint.deliver-remedy</c>: marks the accepted remedy delivered and sets the callback due time, then tells the customer
/// it was carried out. A remedy that pays reaches this task only after its payment (or parcel) is confirmed. The notice goes
/// to the customer's e-mail address, else as a text to their phone (<see cref="CustomerMessages"/>).
/// Idempotent: the domain step is checked (a retry after success finds the complaint past Deliver) and the notice is keyed
/// by the engine's idempotency key.
/// </summary>
public sealed class DeliverRemedyHandler(RemediationDbContext db, CustomerMessages messages, TimeProvider clock)
    : IWorkflowTopicHandler
{
    public async Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        var complaint = await db.LoadComplaintAsync(context.ComplaintId(), cancellationToken);
        if (complaint.Step == ComplaintStep.Deliver)
        {
            var now = clock.GetUtcNow();
            var delay = context.Variables.Text("callbackDelay") is { } text ? XmlConvert.ToTimeSpan(text) : TimeSpan.FromDays(3);
            complaint.MarkRemedyDelivered(now, now + delay);
            await db.SaveChangesAsync(cancellationToken);
        }
        if (complaint.CurrentProposal is not { } proposal) return null;
        var customer = await db.Set<Customer>().AsNoTracking().FirstAsync(c => c.Id == complaint.CustomerId, cancellationToken);
        await messages.SendAsync(complaint.Id, customer.Email, customer.Phone.Value,
            $"Remedy for complaint {complaint.Reference} / 投诉 {complaint.Reference} 的解决方案",
            $"We have carried out the agreed remedy: {ComplaintPayments.English(proposal)}. We will call you back to check you are satisfied.\n" +
            $"我们已执行商定的解决方案:{ComplaintPayments.Chinese(proposal)}。我们会回访,确认您是否满意。",
            context.IdempotencyKey, cancellationToken);
        return null;
    }
}

/// <summary>
/// <c>complaint.payment-failed</c>: the gateway reported the remedy's payment failed; the complaint goes back to Propose, where
/// the case page shows the failed payment and its reason, so the handler offers another way (docs/payments.md).
/// </summary>
public sealed class PaymentFailedHandler(RemediationDbContext db, ILogger<PaymentFailedHandler> logger) : IWorkflowTopicHandler
{
    public async Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        var complaint = await db.LoadComplaintAsync(context.ComplaintId(), cancellationToken);
        if (complaint.Step != ComplaintStep.Deliver) return null;
        complaint.RecordPaymentFailed();
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Complaint {Reference}: the payment failed ({Reason}); back to Propose", complaint.Reference,
            context.Variables.Text(Payments.PaymentProcess.Variables.FailureReason));
        return null;
    }
}

/// <summary><c>complaint.mark-overdue</c>: an SLA timer fired; the complaint is flagged overdue (the queue sorts it first) and the supervisors are told in their inbox.</summary>
public sealed class MarkOverdueHandler(RemediationDbContext db, UserManager<ApplicationUser> users, TimeProvider clock) : IWorkflowTopicHandler
{
    public async Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        var complaint = await db.LoadComplaintAsync(context.ComplaintId(), cancellationToken);
        if (complaint.Status == ComplaintStatus.Closed || complaint.IsOverdue) return null;
        var now = clock.GetUtcNow();
        complaint.MarkOverdue(now);
        // Every active supervisor hears of it in their inbox, with the flag (one save: both or neither).
        foreach (var supervisor in await users.GetUsersInRoleAsync(Roles.Supervisor))
            if (!supervisor.IsDisabled)
                db.Add(StaffNotification.For(supervisor.Id, StaffNotificationKind.EscalationNeedsYou, complaint.Reference.ToString(), complaint.Id, now.UtcDateTime));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}

/// <summary><c>compensation.notify-approver</c>: one message to every user holding the Approver role.</summary>
public sealed class NotifyApproverHandler(RemediationDbContext db, UserManager<ApplicationUser> users, INotificationSender sender) : IWorkflowTopicHandler
{
    public async Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        var complaint = await db.LoadComplaintAsync(context.ComplaintId(), cancellationToken);
        var proposal = complaint.CurrentProposal;
        foreach (var approver in await users.GetUsersInRoleAsync(Roles.Approver))
        {
            if (approver.IsDisabled || approver.Email is null) continue;
            await sender.SendAsync(new NotificationMessage(complaint.Id, approver.Email,
                $"Approval needed: complaint {complaint.Reference} / 待审批:投诉 {complaint.Reference}",
                $"Proposal {proposal?.Number}: {proposal?.Type} {proposal?.Value} — {proposal?.Justification}",
                $"{context.IdempotencyKey}/{approver.Id}"), cancellationToken);
        }
        return null;
    }
}
