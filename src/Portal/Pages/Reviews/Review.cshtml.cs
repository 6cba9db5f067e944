using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.Payments;
using Remediation.Domain.Reviews;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Forms;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Payments;
using Remediation.Portal.Reviews;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;
using Keys = Remediation.Portal.Reviews.ReviewProcess.FormKeys;
using Vars = Remediation.Portal.Reviews.ReviewProcess.Variables;

namespace Remediation.Portal.Pages.Reviews;

/// <summary>
/// One review: the review and its customer (their complaints, reviews and compensations), the current step's own form
/// (reply, offer, tell the customer, the customer's answer, the supervisor's escalation), the offers with their approval
/// chains, the timeline and the diagram. Each step POST completes the engine task and records the domain change in one
/// transaction (<see cref="ReviewSteps"/>); close, record the author's edit and open a complaint are actions outside the process.
/// </summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor + "," + Roles.Approver)]
public sealed class ReviewModel(RemediationDbContext db, ReviewSteps steps, ComplaintSteps complaintSteps, ApprovalDesk desk, IWorkflowRuntime runtime,
    IAuditLog audit, PaymentQueries payments, ReviewOptions options,
    TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record TimelineEntry(DateTime At, string What, string? Who);
    public sealed record ComplaintLink(Guid Id, string Reference, ComplaintStatus Status, DateTimeOffset CreatedAt);
    public sealed record ReviewLink(Guid Id, string Platform, int Rating, ReviewStatus Status, DateTimeOffset PostedAt);

    public sealed class ReplyInput
    {
        public Guid TaskId { get; set; }
        public string CommandId { get; set; } = "";
        public string? Text { get; set; }
        public string? Remedy { get; set; }
    }

    public sealed class OfferInput
    {
        public Guid TaskId { get; set; }
        public string CommandId { get; set; } = "";
        public bool NoOffer { get; set; }
        public CompensationKind Method { get; set; } = CompensationKind.Cash;
        public decimal? Amount { get; set; }
        public string? Currency { get; set; } = "CNY";
        public PaymentChannel Channel { get; set; } = PaymentChannel.Alipay;
        public string? Justification { get; set; }
    }

    public sealed class MessageInput
    {
        public Guid TaskId { get; set; }
        public string CommandId { get; set; } = "";
        public string? Text { get; set; }
    }

    public sealed class AnswerInput
    {
        public Guid TaskId { get; set; }
        public string CommandId { get; set; } = "";
        public CustomerAnswer? Answer { get; set; }
        public string? Note { get; set; }
    }

    public sealed class EditInput
    {
        public int? Rating { get; set; }
        public string? Text { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    public ReplyInput Reply { get; set; } = new();
    public OfferInput Offer { get; set; } = new();
    public MessageInput Tell { get; set; } = new();
    public AnswerInput Answer { get; set; } = new();
    public MessageInput Escalation { get; set; } = new();
    public EditInput Edit { get; set; } = new();
    public string? CloseReason { get; set; }
    /// <summary>The current step's generated form (<see cref="GeneratedForm"/>), when it has one.</summary>
    public GeneratedFormView? Generated { get; private set; }
    /// <summary>The generated steps of the review's instances by element id (names and fields).</summary>
    public IReadOnlyDictionary<string, GeneratedStep> GeneratedSteps { get; private set; } = new Dictionary<string, GeneratedStep>();

    public Review Review { get; private set; } = null!;
    public Customer? Customer { get; private set; }
    public CustomerRecord? History { get; private set; }
    public IReadOnlyList<ComplaintLink> Complaints { get; private set; } = [];
    public IReadOnlyList<ReviewLink> OtherReviews { get; private set; } = [];
    public WorkItem? CurrentTask { get; private set; }
    public bool CanAct { get; private set; }
    public string? AssigneeName { get; private set; }
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public Consistency? OfferConsistency { get; private set; }
    /// <summary>The payments of the review's offers, by key.</summary>
    public IReadOnlyDictionary<string, PaymentView> Payments { get; private set; } = new Dictionary<string, PaymentView>();
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];
    public string? DiagramUrl { get; private set; }
    public IReadOnlyList<string> ActiveElements { get; private set; } = [];
    public string? Flash { get; private set; }
    public ReviewCatalogue Catalogue => options.Catalogue();
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostReplyAsync([Bind(Prefix = nameof(Reply))] ReplyInput input, CancellationToken ct)
    {
        Reply = input;
        var remedy = input.Remedy is ReviewProcess.Remedies.Close or ReviewProcess.Remedies.Await or ReviewProcess.Remedies.Offer ? input.Remedy : null;
        if (remedy is null) return await InvalidAsync($"{nameof(Reply)}.{nameof(input.Remedy)}", l["Choose what happens next."].Value, ct);
        var now = Now;
        return await StepAsync(input.TaskId, input.CommandId, Keys.Reply, review =>
        {
            review.Reply(input.Text!, User.ToWorkflowUser().Id, now);
            if (remedy == ReviewProcess.Remedies.Close) review.CloseAfterReply(User.ToWorkflowUser().Id, now);
            return new Dictionary<string, object?> { [Vars.Remedy] = remedy };
        }, "The reply was saved.", $"{nameof(Reply)}.{nameof(input.Text)}", ct);
    }

    public async Task<IActionResult> OnPostOfferAsync([Bind(Prefix = nameof(Offer))] OfferInput input, CancellationToken ct)
    {
        Offer = input;
        var user = User.ToWorkflowUser();
        var now = Now;
        Money? value = null;
        if (!input.NoOffer)
        {
            if (input.Amount is null) return await InvalidAsync($"{nameof(Offer)}.{nameof(input.Amount)}", l["{0} is required.", l["Amount"].Value].Value, ct);
            try { value = new Money(input.Amount.Value, input.Currency ?? ""); }
            catch (DomainException e) { return await InvalidAsync($"{nameof(Offer)}.{nameof(input.Amount)}", l.Translate(e), ct); }
        }
        // The matrix as it is now (admins edit it at /Admin/Authority); the offer keeps the chain it gets.
        var matrix = new ApprovalMatrix(await db.Set<ApprovalLevel>().AsNoTracking().ToListAsync(ct));
        return await StepAsync(input.TaskId, input.CommandId, Keys.Offer, review =>
        {
            if (input.NoOffer)
            {
                review.WithdrawRemedy(user.Id);
                return new Dictionary<string, object?> { [Vars.OfferMade] = false };
            }
            var offer = review.ProposeOffer(options.Catalogue(), matrix, input.Method, value!, input.Channel, input.Justification!, user.Id, now);
            return new Dictionary<string, object?>
            {
                [Vars.OfferMade] = true, [Vars.Proposer] = user.Id, [Vars.ApprovalRole] = offer.PendingRole, [Vars.ApprovalDone] = false,
            };
        }, input.NoOffer ? "No compensation: waiting for the customer's answer." : "The offer was sent for approval.", $"{nameof(Offer)}.{nameof(input.Justification)}", ct);
    }

    public async Task<IActionResult> OnPostTellAsync([Bind(Prefix = nameof(Tell))] MessageInput input, CancellationToken ct)
    {
        Tell = input;
        var now = Now;
        // The process reaches this step once the payment is confirmed: the offer is paid as of the gateway's confirmation.
        var approved = await db.Set<Review>().AsNoTracking().Where(r => r.Id == Id).SelectMany(r => r.Offers)
            .Where(o => o.Status == OfferStatus.Approved).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        var paid = approved is { } offerId ? await payments.ByKeyAsync($"review-offer:{offerId}", ct) : null;
        return await StepAsync(input.TaskId, input.CommandId, Keys.TellCustomer, review =>
        {
            if (review.CurrentOffer is { Status: OfferStatus.Approved }) review.MarkOfferPaid(paid?.ConfirmedAt ?? now);
            review.TellCustomer(input.Text!, User.ToWorkflowUser().Id, now);
            return new Dictionary<string, object?>();
        }, "The message to the customer was recorded.", $"{nameof(Tell)}.{nameof(input.Text)}", ct);
    }

    public async Task<IActionResult> OnPostAnswerAsync([Bind(Prefix = nameof(Answer))] AnswerInput input, CancellationToken ct)
    {
        Answer = input;
        if (input.Answer is not { } answer || !Enum.IsDefined(answer))
            return await InvalidAsync($"{nameof(Answer)}.{nameof(input.Answer)}", l["Choose the customer's answer."].Value, ct);
        var now = Now;
        return await StepAsync(input.TaskId, input.CommandId, Keys.CustomerAnswer, review =>
        {
            review.RecordAnswer(answer, input.Note, User.ToWorkflowUser().Id, now);
            return new Dictionary<string, object?>();
        }, "The review is closed.", $"{nameof(Answer)}.{nameof(input.Note)}", ct);
    }

    public async Task<IActionResult> OnPostEscalationAsync([Bind(Prefix = nameof(Escalation))] MessageInput input, CancellationToken ct)
    {
        Escalation = input;
        if (string.IsNullOrWhiteSpace(input.Text))
            return await InvalidAsync($"{nameof(Escalation)}.{nameof(input.Text)}", l["{0} is required.", l["Note"].Value].Value, ct);
        var note = input.Text.Trim();
        return await StepAsync(input.TaskId, input.CommandId, Keys.Escalation, _ => new Dictionary<string, object?>(),
            "The escalation was handled.", $"{nameof(Escalation)}.{nameof(input.Text)}", ct,
            new StepAudit(AuditEvents.EscalationHandled, note.Length > 500 ? note[..500] : note));
    }

    /// <summary>
    /// A step an admin added in the designer with <c>camunda:formData</c>: the values are read against the task's own fields
    /// (a problem is shown under its field; nothing is saved) and written as process variables. A task that is not this
    /// review's generated step is not read: the step refuses it (audited).
    /// </summary>
    public async Task<IActionResult> OnPostGeneratedAsync([Bind(Prefix = "Form")] GeneratedFormInput form, CancellationToken ct)
    {
        var task = await runtime.GetTaskAsync(form.TaskId, ct);
        IReadOnlyDictionary<string, object?> variables = new Dictionary<string, object?>();
        if (task is { FormKey: null } && task.BusinessKey == Review.KeyOf(Id))
        {
            Generated = new(task.FormFields, form);
            var read = GeneratedForm.Read(task.FormFields, form.Fields);
            if (!read.IsValid)
            {
                if (read.Forged.Count > 0) await audit.WriteAsync(AuditEvents.RejectedInput, User.Identity!.Name, read.ForgedDetail(task.Id, $"review {task.BusinessKey}"), ct);
                foreach (var problem in read.Problems) ModelState.AddModelError(GeneratedForm.Key(problem.FieldId), problem.Text(l));
                return await LoadAsync(ct) ? Page() : NotFound();
            }
            variables = read.Variables;
        }
        return await StepAsync(form.TaskId, form.CommandId, null, _ => variables, "The step was saved.", "", ct);
    }

    public async Task<IActionResult> OnPostCloseAsync(string? closeReason, CancellationToken ct)
    {
        CloseReason = closeReason;
        var error = await steps.CloseManuallyAsync(Id, closeReason, User.ToWorkflowUser(), User.Identity!.Name!, Now, ct);
        if (error is not null) return await InvalidAsync(nameof(CloseReason), error, ct);
        TempData["Flash"] = l["The review is closed."].Value;
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostEditAsync([Bind(Prefix = nameof(Edit))] EditInput input, CancellationToken ct)
    {
        Edit = input;
        if (input.Rating is not { } rating) return await InvalidAsync($"{nameof(Edit)}.{nameof(input.Rating)}", l["{0} is required.", l["Rating"].Value].Value, ct);
        var error = await steps.RecordAuthorEditAsync(Id, rating, input.Text, User.ToWorkflowUser(), User.Identity!.Name!, Now, ct);
        if (error is not null) return await InvalidAsync($"{nameof(Edit)}.{nameof(input.Text)}", error, ct);
        TempData["Flash"] = l["The author's change was recorded."].Value;
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostComplaintAsync(CancellationToken ct)
    {
        var (complaintId, error) = await steps.OpenComplaintAsync(Id, User.ToWorkflowUser(), User.Identity!.Name!, ct);
        if (error is not null) return await InvalidAsync("", error, ct);
        return RedirectToPage("/Complaints/Case", new { id = complaintId });
    }

    private async Task<IActionResult> StepAsync(Guid taskId, string commandId, string? formKey, Func<Review, IReadOnlyDictionary<string, object?>> apply,
        string done, string field, CancellationToken ct, params StepAudit[] audits)
    {
        var result = await steps.CompleteAsync(Id, taskId, commandId, User.ToWorkflowUser(), User.Identity!.Name!, formKey, apply, ct, audits);
        if (result.Outcome == StepOutcome.Invalid) return await InvalidAsync(field, steps.Message(result, done), ct);
        if (result.Outcome == StepOutcome.NotFound) return NotFound();
        TempData["Flash"] = steps.Message(result, done);
        return RedirectToPage(new { id = Id });
    }

    private async Task<IActionResult> InvalidAsync(string field, string message, CancellationToken ct)
    {
        ModelState.AddModelError(field, message);
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Flash ??= TempData["Flash"] as string;
        if (await db.Set<Review>().AsNoTracking().AsSplitQuery().FirstOrDefaultAsync(r => r.Id == Id, ct) is not { } review) return false;
        Review = review;
        if (review.CustomerId is { } customerId)
        {
            Customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
            History = await desk.HistoryAsync(customerId, review.Id, ct);
            Complaints = await db.Set<Complaint>().AsNoTracking().IgnoreAutoIncludes().Where(c => c.CustomerId == customerId)
                .OrderByDescending(c => c.CreatedAt).Take(5).Select(c => new ComplaintLink(c.Id, c.Reference.ToString(), c.Status, c.CreatedAt)).ToListAsync(ct);
            OtherReviews = await db.Set<Review>().AsNoTracking().IgnoreAutoIncludes().Where(r => r.CustomerId == customerId && r.Id != review.Id)
                .OrderByDescending(r => r.PostedAt).Take(5).Select(r => new ReviewLink(r.Id, r.Platform, r.Rating, r.Status, r.PostedAt)).ToListAsync(ct);
        }
        if (review.CurrentOffer is { } offer) OfferConsistency = await desk.ForReviewAsync(review, offer, ct);
        Payments = (await payments.ByKeysAsync(review.Offers.Select(o => o.PaymentKey).ToList(), ct)).ToDictionary(p => p.Key);

        var key = review.Key;
        var open = await CaseQueries.OpenTasks(db, key).ToListAsync(ct);
        var user = User.ToWorkflowUser();
        bool MayTake(WorkItem w) => user.IsCandidate(w.CandidateRoles, w.CandidateUsers);
        // The approval level is decided on the Approvals page; here the handler's or supervisor's step.
        var handlerTasks = open.Where(o => o.Task.FormKey != Keys.Approve).ToList();
        var current = handlerTasks.FirstOrDefault(o => MayTake(o.Task)) ?? handlerTasks.FirstOrDefault();
        CurrentTask = current?.Task;
        if (Generated is null && CurrentTask is { } task && GeneratedForm.IsGenerated(task.FormKey))
            Generated = GeneratedForm.NewForm(task, Guid.NewGuid().ToString("N"));
        CanAct = CurrentTask is not null && MayTake(CurrentTask) && (CurrentTask.Assignee is null || CurrentTask.Assignee == user.Id) && review.Status != ReviewStatus.Closed;
        if (current?.Task.Assignee is { } assignee) AssigneeName = ComplaintSteps.DisplayName(assignee, current.AssigneeDisplayName, current.AssigneeUserName);
        if (string.IsNullOrEmpty(Reply.CommandId)) Reply.CommandId = Guid.NewGuid().ToString("N");
        if (string.IsNullOrEmpty(Offer.CommandId)) Offer.CommandId = Guid.NewGuid().ToString("N");
        if (string.IsNullOrEmpty(Tell.CommandId)) Tell.CommandId = Guid.NewGuid().ToString("N");
        if (string.IsNullOrEmpty(Answer.CommandId)) Answer.CommandId = Guid.NewGuid().ToString("N");
        if (string.IsNullOrEmpty(Escalation.CommandId)) Escalation.CommandId = Guid.NewGuid().ToString("N");

        var instance = await db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.BusinessKey == key).OrderByDescending(i => i.CreatedAt)
            .Select(i => new { i.DefinitionId, i.StateJson }).FirstOrDefaultAsync(ct);
        if (instance is not null)
        {
            DiagramUrl = Api.DefinitionApi.XmlUrl(instance.DefinitionId);
            ActiveElements = InstanceStateJson.ActiveElementIds(instance.StateJson);
        }

        GeneratedSteps = await GeneratedForm.StepsAsync(db, key, ct);
        var journal = await CaseQueries.Journal(db, key).ToListAsync(ct);
        var entries = journal
            .Where(j => j.ElementId is null || !j.ElementId.StartsWith("Flow_") && !j.ElementId.StartsWith("Gateway_") && !j.ElementId.StartsWith("StartEvent_"))
            .Select(j => (Entry: j, Who: j.UserId is null ? null : ComplaintSteps.DisplayName(j.UserId, j.DisplayName, j.UserName)))
            .Select(x => x.Entry.Kind == JournalKind.Completed && x.Entry.ElementId is { } element && GeneratedSteps.TryGetValue(element, out var generated)
                ? new TimelineEntry(x.Entry.At, GeneratedForm.Done(generated, x.Who, x.Entry.VariablesJson, l), null)
                : new TimelineEntry(x.Entry.At, Describe(x.Entry.Kind, x.Entry.ElementId), x.Who))
            .ToList();
        if (review.EditedAt is { } edited)
            entries.Add(new(edited.UtcDateTime, l["The author changed the review: {0} → {1} stars", review.PreviousRating ?? 0, review.Rating].Value, null));
        entries.AddRange((await Remediation.Portal.Team.TeamTimeline.EntriesAsync(db, l, key, ElementLabel, ct)).Select(e => new TimelineEntry(e.At, e.What, e.Who)));
        Timeline = entries.OrderBy(e => e.At).ToList();

        var ids = review.Offers.SelectMany(o => o.Approvals.Select(a => a.DecidedBy).Append(o.ProposedBy)).Concat(review.Notes.Select(n => n.WrittenBy)).Distinct().ToList();
        Names = await complaintSteps.DisplayNamesAsync(ids, ct);
        return true;
    }

    public string NameOf(string userId) => Names.GetValueOrDefault(userId, userId);

    private string Describe(JournalKind kind, string? elementId) => TimelineText.Describe(l, kind, StepLabel(elementId), "Review received");

    /// <summary>The resource key naming an element: a generated step's BPMN name as written, else <see cref="ElementLabel"/>.</summary>
    public string StepLabel(string? elementId) =>
        elementId is not null && GeneratedSteps.TryGetValue(elementId, out var generated) ? generated.Name : ElementLabel(elementId);

    /// <summary>The English resource key naming an element of review-remediation.bpmn.</summary>
    public static string ElementLabel(string? elementId) => elementId switch
    {
        "Task_Reply" => "Reply to the review",
        "Task_Offer" => "Make a compensation offer",
        "Task_Approve" => "Approve the offer (this level)",
        "Task_Pay" => "Request payment",
        "Catch_PaymentConfirmed" => "Payment confirmed",
        "Task_Tell" => "Tell the customer",
        "Task_Answer" => "Record the customer's answer",
        "Task_Escalate" => "Review the overdue reply",
        "Boundary_ReplySla" => "Reply SLA passed",
        "End_Replied" => "Replied and closed",
        "End_Closed" => "Review closed",
        "End_Escalated" => "Escalation handled",
        _ => elementId ?? "",
    };
}
