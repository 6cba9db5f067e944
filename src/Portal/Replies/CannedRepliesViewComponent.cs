using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Replies;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using ComplaintKeys = Remediation.Portal.Complaints.ComplaintProcess.FormKeys;
using ReviewKeys = Remediation.Portal.Reviews.ReviewProcess.FormKeys;

namespace Remediation.Portal.Replies;

/// <summary>
/// The canned-reply picker of a step form: <c>&lt;vc:canned-replies form-key=… customer=… reference=… amount=… fields="css" /&gt;</c>.
/// Renders the step's templates with their placeholders already filled from the case (the signed-in user is
/// <c>{handler}</c>); <c>canned-replies.js</c> puts a picker above each text field the <c>fields</c> selector finds.
/// Templates in the user's UI language come first. Nothing is rendered for a step without templates.
/// </summary>
public sealed class CannedRepliesViewComponent(RemediationDbContext db) : ViewComponent
{
    public sealed record Choice(Guid Id, string Name, string Text);
    public sealed record Group(string Language, string Label, IReadOnlyList<Choice> Choices);
    public sealed record Picker(string Fields, IReadOnlyList<Group> Groups);

    /// <summary>The step a form key's text fields belong to; null for forms without canned replies.</summary>
    public static ReplyStep? StepFor(string? formKey) => formKey switch
    {
        ComplaintKeys.Vent => ReplyStep.Vent,
        ComplaintKeys.Apologise => ReplyStep.Apologise,
        ComplaintKeys.Probe => ReplyStep.Probe,
        ComplaintKeys.Propose => ReplyStep.Propose,
        ComplaintKeys.Confirm => ReplyStep.Confirm,
        ComplaintKeys.FollowUp => ReplyStep.FollowUp,
        ReviewKeys.Reply => ReplyStep.ReviewReply,
        ReviewKeys.TellCustomer => ReplyStep.CustomerMessage,
        ComplaintKeys.WorkOrder or ComplaintKeys.Escalation => ReplyStep.SupervisorNotes,
        _ => null,
    };

    /// <summary>The language name shown as the picker's group heading, in that language.</summary>
    public static string LanguageName(string language) => language == "zh-Hans" ? "中文" : "English";

    public async Task<IViewComponentResult> InvokeAsync(string? formKey, string? customer, string? reference, string? amount, string fields)
    {
        if (StepFor(formKey) is not { } step) return Content("");
        var templates = await db.Set<ReplyTemplate>().AsNoTracking().Where(t => t.Step == step).ToListAsync(HttpContext.RequestAborted);
        if (templates.Count == 0) return Content("");

        var values = new ReplyValues(customer, reference, amount, UserClaimsPrincipal.DisplayName());
        var mine = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en";
        var groups = templates.GroupBy(t => t.Language)
            .OrderBy(g => g.Key == mine ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Group(g.Key, LanguageName(g.Key),
                [.. g.OrderBy(t => t.Name, StringComparer.CurrentCulture).Select(t => new Choice(t.Id, t.Name, t.FillIn(values)))]))
            .ToList();
        return View(new Picker(fields, groups));
    }
}
