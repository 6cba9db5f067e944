using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.Remedies;
using Remediation.Domain.Scripts;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Forms;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Payments;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.Portal.Pages.Complaints;

/// <summary>
/// One complaint: the customer profile and strategy hint, the current step's own form, the script assistant,
/// the timeline (engine journal + messages sent) and the diagram with the current step highlighted.
/// Each step POST completes the engine task and records the domain step in one transaction.
/// </summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor + "," + Roles.Approver + "," + Roles.Admin)]
public sealed class CaseModel(RemediationDbContext db, IWorkflowRuntime runtime, ComplaintSteps steps, CaseReadLog reads, IAuditLog audit,
    PaymentQueries paymentQueries, Remediation.Portal.Team.TeamDesk team, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record TimelineEntry(DateTime At, string What, string? Who, string? Detail);

    /// <summary>Every field of every step form; each handler reads the ones of its step.</summary>
    public sealed class StepInput
    {
        public Guid TaskId { get; set; }
        public string CommandId { get; set; } = "";
        public bool AcknowledgeAvoided { get; set; }
        // Vent
        public string? Account { get; set; }
        public EmotionalState EmotionalState { get; set; } = EmotionalState.Upset;
        public string? FactsNoted { get; set; }
        // Apologise
        public bool ApologyGiven { get; set; }
        public bool ThanksGiven { get; set; }
        public string? WordsUsed { get; set; }
        // Probe
        public string? WhatHappened { get; set; }
        public string? HowItHappened { get; set; }
        public string? Product { get; set; }
        public string? WhyDissatisfied { get; set; }
        public string? RepresentativeInvolved { get; set; }
        public string? OtherCauses { get; set; }
        public bool? CustomerIsReasonable { get; set; }
        public string? DesiredResolution { get; set; }
        public bool? ReturningCustomer { get; set; }
        // Propose
        public RemedyType RemedyType { get; set; } = RemedyType.Refund;
        public decimal? Amount { get; set; }
        public string? Currency { get; set; } = "CNY";
        public CompensationMethod? CompensationMethod { get; set; }
        public string? Justification { get; set; }
        // Confirm
        public bool? Accepted { get; set; }
        public string? Reason { get; set; }
        // Follow up
        public FollowUpMethod FollowUpMethod { get; set; } = FollowUpMethod.Phone;
        public int? Satisfaction { get; set; }
        public string? Comment { get; set; }
        // Hand to supervisor; supervisor steps
        public string? HandUpReason { get; set; }
        public string? EscalationNote { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public StepInput Input { get; set; } = new();
    /// <summary>The current step's generated form (<see cref="GeneratedForm"/>), when it has one.</summary>
    public GeneratedFormView? Generated { get; private set; }
    [BindProperty] public WorkOrderResolutionInput WorkOrder { get; set; } = new();

    public Complaint Complaint { get; private set; } = null!;
    public Customer Customer { get; private set; } = null!;
    public StrategyHint Strategy { get; private set; } = null!;
    public WorkItem? CurrentTask { get; private set; }
    public IReadOnlyList<WorkItem> OpenTasks { get; private set; } = [];
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];
    /// <summary>The generated steps of the complaint's instances by element id (names and fields).</summary>
    public IReadOnlyDictionary<string, GeneratedStep> GeneratedSteps { get; private set; } = new Dictionary<string, GeneratedStep>();
    /// <summary>The published definition's XML (<see cref="Api.DefinitionApi"/>), fetched by the diagram script.</summary>
    public string? DiagramUrl { get; private set; }
    /// <summary>The latest remedy proposal, loaded for the Propose and Confirm forms only.</summary>
    public RemedyProposal? CurrentProposal { get; private set; }
    public IReadOnlyList<string> ActiveElements { get; private set; } = [];
    public string? AssigneeName { get; private set; }
    /// <summary>At a supervisor's escalation: the late procedure step, its holder's name, and who could take it (the team actions).</summary>
    public Remediation.Portal.Team.TeamTask? LateTask { get; private set; }
    public string? LateHolderName { get; private set; }
    public IReadOnlyList<Remediation.Portal.Team.StaffMember> TeamStaff { get; private set; } = [];
    public bool CanAct { get; private set; }
    public IReadOnlyList<ScriptPhrase> Recommended { get; private set; } = [];
    public string? Flash { get; private set; }

    /// <summary>What the live poll compares with (<see cref="CaseQueries.FingerprintAsync"/>).</summary>
    public string Fingerprint { get; private set; } = "";

    /// <summary>Names of the staff the record mentions, by user id.</summary>
    public IReadOnlyDictionary<string, string> StaffNames { get; private set; } = new Dictionary<string, string>();
    /// <summary>The payments of the complaint's proposals (refunds, compensation, parcels), oldest first.</summary>
    public IReadOnlyList<PaymentView> Payments { get; private set; } = [];

    /// <summary>The live page's poll (app.js): the fingerprint of what this page shows.</summary>
    public async Task<IActionResult> OnGetFingerprintAsync(CancellationToken ct) =>
        await CaseQueries.FingerprintAsync(db, Id, ct) is { } fingerprint ? new JsonResult(new { fingerprint }) : NotFound();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Input = new StepInput { TaskId = CurrentTask?.Id ?? Guid.Empty, CommandId = Guid.NewGuid().ToString("N") };
        // The account taken at intake starts the Vent record; the handler completes it as the customer goes on.
        if (CurrentTask?.FormKey == ComplaintProcess.FormKeys.Vent) Input.Account = Complaint.Summary;
        return Page();
    }

    public Task<IActionResult> OnPostVentAsync(CancellationToken ct) =>
        CompleteAsync(ComplaintProcess.FormKeys.Vent, [Input.FactsNoted], c => // the account is the customer's words: not checked
        {
            c.RecordVent(VentRecord.Create(Input.Account!, c.Channel, Input.EmotionalState, Input.FactsNoted, UserId, Now));
            return new Dictionary<string, object?>();
        }, ct);

    public Task<IActionResult> OnPostApologiseAsync(CancellationToken ct) =>
        CompleteAsync(ComplaintProcess.FormKeys.Apologise, [Input.WordsUsed], c =>
        {
            c.RecordApology(ApologyRecord.Create(Input.ApologyGiven, Input.ThanksGiven, Input.WordsUsed!, UserId, Now));
            return new Dictionary<string, object?>();
        }, ct);

    public Task<IActionResult> OnPostProbeAsync(CancellationToken ct) =>
        CompleteAsync(ComplaintProcess.FormKeys.Probe,
            [Input.WhatHappened, Input.HowItHappened, Input.WhyDissatisfied, Input.OtherCauses, Input.DesiredResolution], c =>
        {
            c.RecordProbe(ProbeRecord.Create(new ProbeAnswers
            {
                WhatHappened = Input.WhatHappened, HowItHappened = Input.HowItHappened, Product = Input.Product,
                WhyDissatisfied = Input.WhyDissatisfied, RepresentativeInvolved = Input.RepresentativeInvolved,
                OtherCauses = Input.OtherCauses, CustomerIsReasonable = Input.CustomerIsReasonable,
                DesiredResolution = Input.DesiredResolution, ReturningCustomer = Input.ReturningCustomer,
            }, UserId, Now));
            return new Dictionary<string, object?>();
        }, ct);

    public async Task<IActionResult> OnPostProposeAsync(CancellationToken ct)
    {
        RemedyProposal proposal;
        // A number too large for a decimal does not bind at all; say why instead of "Amount is required".
        if (ModelState.GetFieldValidationState("Input.Amount") == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
        {
            ModelState.Clear();
            ModelState.AddModelError("Input.Amount", l.Translate(new DomainException(DomainRules.OutOfRange, DomainMessages.AmountTooLarge, Money.MaxAmount)));
            return await ReloadAsync(ct);
        }
        try
        {
            var amount = Input.Amount is { } a ? new Money(a, Input.Currency ?? "") : null;
            var method = Input.RemedyType == RemedyType.Compensation ? Input.CompensationMethod : null;
            proposal = RemedyProposal.Create(Input.RemedyType, amount, method, Input.Justification!, UserId, Now);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", l.Translate(e));
            return await ReloadAsync(ct);
        }
        var roles = User.ToWorkflowUser().Roles;
        var limits = await db.Set<AuthorityLimit>().AsNoTracking().Where(x => x.Currency == proposal.Currency && (x.UserId == UserId || x.Role != null)).ToListAsync(ct);
        return await CompleteAsync(ComplaintProcess.FormKeys.Propose, [Input.Justification], c =>
        {
            var within = c.ProposeRemedy(proposal, roles, limits);
            return new Dictionary<string, object?> { ["withinAuthority"] = within, ["proposalId"] = proposal.Id.ToString() };
        }, ct);
    }

    public Task<IActionResult> OnPostConfirmAsync(CancellationToken ct) =>
        CompleteAsync(ComplaintProcess.FormKeys.Confirm, [Input.Reason], c =>
        {
            if (Input.Accepted is null) throw new DomainException(DomainRules.Required, "Choose whether the customer accepted or rejected the proposal.");
            c.RecordCustomerResponse(Input.Accepted.Value
                ? CustomerConfirmation.Accept(UserId, Now, Input.Reason)
                : CustomerConfirmation.Reject(Input.Reason!, UserId, Now));
            return new Dictionary<string, object?>(ComplaintPayments.VariablesFor(c)) { ["accepted"] = Input.Accepted.Value, ["rejections"] = c.Rejections };
        }, ct);

    public Task<IActionResult> OnPostFollowUpAsync(CancellationToken ct) =>
        CompleteAsync(ComplaintProcess.FormKeys.FollowUp, [Input.Comment], c =>
        {
            if (Input.Satisfaction is null) throw new DomainException(DomainRules.Required, "Satisfaction is required (1 to 5).");
            var record = FollowUpRecord.Create(Input.FollowUpMethod, Input.Satisfaction.Value, Input.Comment, UserId, Now);
            c.RecordFollowUp(record);
            return new Dictionary<string, object?> { ["satisfied"] = record.IsSatisfied, ["satisfaction"] = record.Satisfaction };
        }, ct);

    /// <summary>Supervisor: the work order raised by the third rejection is dealt with; the complaint closes.</summary>
    public Task<IActionResult> OnPostWorkOrderAsync(CancellationToken ct) =>
        CompleteAsync(ComplaintProcess.FormKeys.WorkOrder, [WorkOrder.RemedyGiven, WorkOrder.ContactSummary], c =>
        {
            c.ResolveWorkOrder(UserId, WorkOrder.ToResolution(), Now);
            return new Dictionary<string, object?> { ["workOrderResolution"] = c.WorkOrder!.Resolution };
        }, ct, new StepAudit(AuditEvents.WorkOrderResolved,
            $"{WorkOrder.RemedyGiven?.Trim()} | contact {WorkOrder.ContactChannel} {WorkOrder.ContactedAt:u}: {WorkOrder.ContactSummary?.Trim()} | follow-up {(WorkOrder.FollowUp ? WorkOrder.FollowUpAt?.ToString("u") : "none")}"));

    /// <summary>Supervisor: an SLA escalation is acknowledged with a note (no domain change; the note is audited).</summary>
    public async Task<IActionResult> OnPostEscalationAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Input.EscalationNote) || !PlainText.IsClean(Input.EscalationNote, multiLine: true))
        {
            ModelState.AddModelError("Input.EscalationNote", string.IsNullOrWhiteSpace(Input.EscalationNote)
                ? l["{0} is required.", l["Note"].Value] : l[DomainMessages.ControlCharacters, l["Note"].Value]);
            return await ReloadAsync(ct);
        }
        return await CompleteAsync(ComplaintProcess.FormKeys.Escalation, [Input.EscalationNote], _ =>
            new Dictionary<string, object?> { ["escalationNote"] = Input.EscalationNote.Trim() }, ct,
            new StepAudit(AuditEvents.EscalationHandled, Input.EscalationNote.Trim()));
    }

    /// <summary>
    /// A step an admin added in the designer with <c>camunda:formData</c>: access is checked first, then the values are read
    /// against the task's own fields (a problem is shown under its field; nothing is saved) and written as process variables.
    /// </summary>
    public async Task<IActionResult> OnPostGeneratedAsync([Bind(Prefix = "Form")] GeneratedFormInput form, CancellationToken ct)
    {
        var user = User.ToWorkflowUser();
        if (await steps.CheckAccessAsync(Id, form.TaskId, user, User.Identity!.Name!, null, ct) is { } refused) return await ShowAsync(refused, ct);
        if (await runtime.GetTaskAsync(form.TaskId, ct) is not { } task) return NotFound();
        var read = GeneratedForm.Read(task.FormFields, form.Fields);
        if (!read.IsValid)
        {
            if (read.Forged.Count > 0) await audit.WriteAsync(AuditEvents.RejectedInput, User.Identity!.Name, read.ForgedDetail(task.Id, $"complaint {task.BusinessKey}"), ct);
            Generated = new(task.FormFields, form);
            foreach (var problem in read.Problems) ModelState.AddModelError(GeneratedForm.Key(problem.FieldId), problem.Text(l));
            return await ReloadAsync(ct);
        }
        Input.TaskId = form.TaskId;
        Input.CommandId = form.CommandId;
        var texts = task.FormFields.Where(f => f.Type == "string").Select(f => read.Variables.GetValueOrDefault(f.Id) as string).ToArray();
        Generated = new(task.FormFields, form); // shown again if the step is refused
        return await CompleteAsync(null, texts, _ => read.Variables, ct);
    }

    public async Task<IActionResult> OnPostClaimAsync(CancellationToken ct)
    {
        var result = await steps.ClaimAsync(Id, Input.TaskId, User.ToWorkflowUser(), User.Identity!.Name!, ct);
        if (!result.Succeeded) return await ShowAsync(result, ct);
        TempData["Flash"] = l["You took this step."].Value;
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostUnclaimAsync(CancellationToken ct)
    {
        var user = User.ToWorkflowUser();
        if (await steps.CheckAccessAsync(Id, Input.TaskId, user, User.Identity!.Name!, null, ct) is { } refused) return await ShowAsync(refused, ct);
        var result = await runtime.UnclaimAsync(Input.TaskId, user, ct);
        TempData["Flash"] = result.IsOk ? l["You gave this step back to the queue."].Value : l[result.Message ?? ""].Value;
        return RedirectToPage(new { id = Id });
    }

    /// <summary>
    /// The handler cannot finish: a work order (客服工单) for a supervisor is written and the process is cancelled
    /// (the BPMN has no boundary event to park it; docs/complaints.md). Domain first, so a failed cancel leaves
    /// an escalated complaint whose steps the domain refuses, never an open case without its work order.
    /// </summary>
    public async Task<IActionResult> OnPostHandToSupervisorAsync(CancellationToken ct)
    {
        var user = User.ToWorkflowUser();
        if (await steps.CheckAccessAsync(Id, Input.TaskId, user, User.Identity!.Name!, null, ct) is { } refused) return await ShowAsync(refused, ct);
        var complaint = await db.Set<Complaint>().AsSplitQuery().FirstOrDefaultAsync(c => c.Id == Id, ct);
        if (complaint is null) return NotFound();
        try
        {
            complaint.HandToSupervisor(UserId, Input.HandUpReason!, Now);
            await db.SaveChangesAsync(ct);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("Input.HandUpReason", l.Translate(e));
            return await ReloadAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            TempData["Flash"] = l["Someone else changed this complaint at the same time; nothing was saved."].Value;
            return RedirectToPage(new { id = Id });
        }
        var instanceId = await db.Set<WorkflowInstance>().Where(i => i.BusinessKey == complaint.Reference.ToString() && i.ProcessId == ComplaintProcess.ProcessId && i.Status == InstanceStatus.Running)
            .Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
        if (instanceId is { } running) await runtime.CancelAsync(running, $"Handed to a supervisor: {Input.HandUpReason}", UserId, ct);
        TempData["Flash"] = l["The complaint was handed to a supervisor as a work order."].Value;
        return RedirectToPage(new { id = Id });
    }

    private string UserId => User.ToWorkflowUser().Id;
    private DateTimeOffset Now => clock.GetUtcNow();

    /// <param name="formKey">The step's form key; null for a generated form.</param>
    private async Task<IActionResult> CompleteAsync(string? formKey, string?[] texts, Func<Complaint, IReadOnlyDictionary<string, object?>> apply, CancellationToken ct,
        params StepAudit[] audits)
    {
        var avoided = texts.SelectMany(ScriptAssistant.FindAvoidedPhrases).ToList();
        if (avoided.Count > 0 && !Input.AcknowledgeAvoided)
        {
            foreach (var m in avoided.DistinctBy(m => m.Phrase))
                ModelState.AddModelError("Input.AcknowledgeAvoided",
                    l["The text contains “{0}”, a phrase to avoid ({1}). Rephrase it, or tick the box to save it anyway.", m.MatchedText, m.Phrase.Chinese]);
            return await ReloadAsync(ct);
        }
        if (avoided.Count > 0)
            audits = [.. audits, new StepAudit(AuditEvents.AvoidedPhraseAcknowledged, string.Join(", ", avoided.Select(m => m.MatchedText)))];

        var result = await steps.CompleteAsync(Id, Input.TaskId, Input.CommandId, User.ToWorkflowUser(), User.Identity!.Name!, formKey, apply, ct, audits);
        if (result.Succeeded)
        {
            TempData["Flash"] = l["The step was saved."].Value;
            return RedirectToPage(new { id = Id });
        }
        return await ShowAsync(result, ct);
    }

    private async Task<IActionResult> ShowAsync(StepResult result, CancellationToken ct)
    {
        switch (result.Outcome)
        {
            case StepOutcome.Conflict:
                TempData["Flash"] = steps.ConflictMessage(result);
                return RedirectToPage(new { id = Id });
            case StepOutcome.NotFound:
                return NotFound();
            case StepOutcome.Forbidden:
                Response.StatusCode = StatusCodes.Status403Forbidden;
                ModelState.AddModelError("", l["You may not act on this step. The attempt has been recorded."]);
                return await ReloadAsync(ct);
            default:
                ModelState.AddModelError("", l[result.Message ?? "The step could not be saved."]);
                return await ReloadAsync(ct);
        }
    }

    private async Task<IActionResult> ReloadAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Flash = TempData["Flash"] as string;
        if (await CaseQueries.RecordAsync(db, Id, ct) is not { } complaint) return false;
        Complaint = complaint;
        Customer = (await CaseQueries.CustomerAsync(db, complaint.CustomerId, ct))!;
        Strategy = CustomerStrategy.HintFor(Customer.Personality, Customer.VipTier);
        // Queued, not written here: the case page must not wait for the database writer (CaseReadLog).
        await reads.RecordAsync(new CaseRead(Now.UtcDateTime, User.Identity?.Name, complaint.Reference.ToString(), Customer.Id,
            HttpContext.Connection.RemoteIpAddress?.ToString()), ct);

        var key = complaint.Reference.ToString();
        var instances = await CaseQueries.Instances(db, key).ToListAsync(ct);
        var open = await CaseQueries.OpenTasks(db, key).ToListAsync(ct);
        OpenTasks = open.Select(o => o.Task).ToList();
        var user = User.ToWorkflowUser();
        bool MayTake(WorkItem w) => user.IsCandidate(w.CandidateRoles, w.CandidateUsers);
        // A handler sees the procedure step; a supervisor also the work order or escalation waiting for them.
        // A generated step (an admin's addition to the procedure) counts as a procedure step.
        var step = OpenTasks.FirstOrDefault(w => ComplaintProcess.FormKeys.HandlerSteps.Contains(w.FormKey) || GeneratedForm.IsGenerated(w.FormKey));
        CurrentTask = step is not null && MayTake(step) ? step
            : OpenTasks.FirstOrDefault(w => w.FormKey is ComplaintProcess.FormKeys.WorkOrder or ComplaintProcess.FormKeys.Escalation && MayTake(w)) ?? step;
        CanAct = CurrentTask is not null && MayTake(CurrentTask) && (CurrentTask.Assignee is null || CurrentTask.Assignee == user.Id);
        Recommended = ScriptAssistant.RecommendedFor(complaint.Step);
        if (Generated is null && CurrentTask is { } task && GeneratedForm.IsGenerated(task.FormKey))
            Generated = GeneratedForm.NewForm(task, string.IsNullOrEmpty(Input.CommandId) ? Guid.NewGuid().ToString("N") : Input.CommandId);
        CurrentProposal = complaint.CurrentProposal;

        var main = instances.Where(i => i.ProcessId == ComplaintProcess.ProcessId).MaxBy(i => i.CreatedAt);
        if (main is not null)
        {
            // The browser fetches (and caches) the published version's XML itself.
            DiagramUrl = Api.DefinitionApi.XmlUrl(main.DefinitionId);
            ActiveElements = InstanceStateJson.ActiveElementIds(main.StateJson);
        }

        if (CurrentTask?.FormKey == ComplaintProcess.FormKeys.Escalation && step is not null
            && await team.FindAsync(step.Id, ct) is { } late)
        {
            LateTask = late;
            LateHolderName = open.First(o => o.Task == step) is { Task.Assignee: { } holder } row
                ? ComplaintSteps.DisplayName(holder, row.AssigneeDisplayName, row.AssigneeUserName) : null;
            TeamStaff = await team.StaffAsync(ct);
        }

        if (CurrentTask?.Assignee is { } assignee)
        {
            var holder = open.First(o => o.Task == CurrentTask);
            AssigneeName = ComplaintSteps.DisplayName(assignee, holder.AssigneeDisplayName, holder.AssigneeUserName);
        }

        Payments = await paymentQueries.ByKeysAsync(ComplaintPayments.KeysOf(complaint.Proposals.Select(p => p.Id)), ct);
        StaffNames = await steps.DisplayNamesAsync(complaint.Vents.Select(v => v.RecordedBy)
            .Concat(complaint.Apologies.Select(a => a.GivenBy)).Concat(complaint.Probes.Select(p => p.RecordedBy))
            .Concat(complaint.Proposals.SelectMany(p => p.Approval is { } a ? [p.ProposedBy, a.ApproverUserId] : new[] { p.ProposedBy }))
            .Concat(complaint.Confirmations.Select(c => c.RecordedBy)).Concat(complaint.FollowUps.Select(f => f.RecordedBy))
            .Append(complaint.WorkOrder?.ResolvedBy), ct);

        GeneratedSteps = await GeneratedForm.StepsAsync(db, key, ct);
        var journal = await CaseQueries.Journal(db, key).ToListAsync(ct);
        var entries = journal
            .Where(j => j.ElementId is null || !j.ElementId.StartsWith("Flow_") && !j.ElementId.StartsWith("Gateway_"))
            .Select(j => (Entry: j, Who: j.UserId is null ? null : ComplaintSteps.DisplayName(j.UserId, j.DisplayName, j.UserName)))
            .Select(x => x.Entry.Kind == JournalKind.Completed && x.Entry.ElementId is { } element && GeneratedSteps.TryGetValue(element, out var generated)
                ? new TimelineEntry(x.Entry.At, GeneratedForm.Done(generated, x.Who, x.Entry.VariablesJson, l), null, null)
                : new TimelineEntry(x.Entry.At, Describe(x.Entry.Kind, x.Entry.ElementId), x.Who, x.Entry.Kind == JournalKind.Failed ? x.Entry.Detail : null))
            .ToList();
        await foreach (var m in CaseQueries.Messages(db, complaint.Id).WithCancellation(ct))
            entries.Add(new TimelineEntry(m.SentAt, l["Message sent to {0}: {1}", m.Recipient, m.Subject].Value, null, null));
        foreach (var call in await CustomerCalls.OfComplaint(db, complaint.Id).ToListAsync(ct))
        {
            entries.Add(new TimelineEntry(call.CreatedAt, l["Phone call needed (no e-mail, no text): {0}", call.Subject].Value, null, null));
            if (call.CompletedAt is { } called)
                entries.Add(new TimelineEntry(called, (call.Outcome == CallOutcome.Reached
                    ? l["Customer phoned, reached: {0}", call.Note ?? ""] : l["Customer phoned, not reached: {0}", call.Note ?? ""]).Value,
                    await steps.DisplayNameAsync(call.CompletedBy, ct), null));
        }
        entries.AddRange(Outcomes(complaint));
        entries.AddRange((await Remediation.Portal.Team.TeamTimeline.EntriesAsync(db, l, key, ElementLabel, ct)).Select(e => new TimelineEntry(e.At, e.What, e.Who, null)));
        Timeline = entries.OrderBy(e => e.At).ToList();
        Fingerprint = CaseQueries.Fingerprint(complaint.Version, await CaseQueries.LastJournalIdAsync(db, key, ct));
        return true;
    }

    /// <summary>What was decided, in words, for the timeline: approvals, the customer's answers, follow-ups, payments.</summary>
    private IEnumerable<TimelineEntry> Outcomes(Complaint complaint)
    {
        foreach (var p in complaint.Proposals)
        {
            var what = $"{l[p.Type.ToString()].Value}{(p.Value is { } v ? " " + v : "")}";
            if (p.Approval is { } a)
                yield return new TimelineEntry(a.DecidedAt.UtcDateTime, a.Approved
                    ? l["Approved by {0}: {1}", Staff(a.ApproverUserId), a.Reason is { } comment ? $"{what} — {comment}" : what].Value
                    : l["Rejected by {0}: {1}", Staff(a.ApproverUserId), a.Reason ?? ""].Value, null, null);
        }
        foreach (var c in complaint.Confirmations)
            yield return new TimelineEntry(c.RecordedAt.UtcDateTime, c.Accepted
                ? (c.Reason is { Length: > 0 } why ? l["Customer accepted: {0}", why].Value : l["Customer accepted"].Value)
                : l["Customer rejected: {0}", c.Reason ?? ""].Value, Staff(c.RecordedBy), null);
        foreach (var f in complaint.FollowUps)
            yield return new TimelineEntry(f.RecordedAt.UtcDateTime, l["Follow-up: satisfaction {0} of 5", f.Satisfaction].Value
                + (f.Comment is { Length: > 0 } comment ? " — " + comment : ""), Staff(f.RecordedBy), null);
        if (complaint.WorkOrder is { ResolvedAt: { } resolvedAt } order)
        {
            if (order.ContactedAt is { } contactedAt && order.ContactChannel is { } channel)
                yield return new TimelineEntry(contactedAt.UtcDateTime, l["Customer contacted by {0}: {1}", l[channel.ToString()].Value, order.ContactSummary ?? ""].Value,
                    Staff(order.ResolvedBy ?? ""), null);
            yield return new TimelineEntry(resolvedAt.UtcDateTime, order.FollowUpAt is { } followUp
                ? l["Work order resolved: {0} — follow-up scheduled for {1:g}", order.Resolution ?? "", followUp.ToLocalTime()].Value
                : l["Work order resolved: {0} — no follow-up", order.Resolution ?? ""].Value, Staff(order.ResolvedBy ?? ""), null);
        }
        foreach (var p in Payments)
        {
            if (p.ConfirmedAt is { } confirmed)
                yield return new TimelineEntry(confirmed.UtcDateTime, l["Payment confirmed: {0}", PaymentText(p)].Value, null, null);
            if (p.FailedAt is { } failed)
                yield return new TimelineEntry(failed.UtcDateTime, l["Payment failed: {0}", PaymentText(p)].Value, null, p.FailureReason);
        }
    }

    private string PaymentText(Payments.PaymentView p) => $"{(p.HasAmount ? $"{p.Amount:0.00} {p.Currency} · " : "")}{l[p.Channel.ToString()].Value}";

    /// <summary>A member of staff's display name, from <see cref="StaffNames"/>.</summary>
    public string Staff(string userId) => StaffNames.TryGetValue(userId, out var name) ? name : userId;

    private string Describe(JournalKind kind, string? elementId) => TimelineText.Describe(l, kind, StepLabel(elementId), "Procedure started");

    /// <summary>The resource key naming an element: a generated step's BPMN name as written, else <see cref="ElementLabel"/>.</summary>
    public string StepLabel(string? elementId) =>
        elementId is not null && GeneratedSteps.TryGetValue(elementId, out var generated) ? generated.Name : ElementLabel(elementId);

    /// <summary>The English resource key naming a BPMN element of the complaint processes.</summary>
    public static string ElementLabel(string? elementId) => elementId switch
    {
        "StartEvent_Received" => "Complaint received",
        "Task_Acknowledge" => "Acknowledgement sent",
        "Task_Vent" => "Vent",
        "Task_Apologise" => "Apologise",
        "Task_Probe" => "Probe",
        "Task_Propose" => "Propose",
        "CallActivity_CompensationApproval" => "Compensation approval",
        "StartEvent_ApprovalRequested" => "Approval requested",
        "Task_NotifyApprover" => "Approvers notified",
        "Task_Approve" => "Approval decision",
        "EndEvent_Decided" => "Approval decided",
        "Task_Confirm" => "Confirm",
        "Task_RequestPayment" => "Payment requested",
        "Event_PaymentConfirmed" => "Payment outcome received",
        "Task_PaymentFailed" => "Payment failed: propose another way",
        "Task_DeliverRemedy" => "Remedy delivered",
        "Timer_CallbackDue" => "Callback due",
        "Task_FollowUp" => "Follow up",
        "EndEvent_Closed" => "Closed",
        "Task_MarkOverdue" => "Marked overdue",
        "Task_Escalation" => "Escalation",
        "Task_WorkOrder" => "Work order",
        "EndEvent_WorkOrderDone" => "Work order done",
        "EndEvent_Escalated" => "Escalation handled",
        _ when elementId is not null && elementId.StartsWith("Boundary_", StringComparison.Ordinal) => "SLA passed",
        _ => elementId ?? "",
    };
}
