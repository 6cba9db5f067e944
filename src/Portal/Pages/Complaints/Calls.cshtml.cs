using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Complaints;

/// <summary>
/// Calls to make: messages to customers that could go neither by e-mail nor by text. A handler phones, reads the message
/// out and records whether the customer was reached, with a note.
/// </summary>
[Authorize(Roles = Roles.Handler + "," + Roles.Supervisor)]
public sealed class CallsModel(CustomerCalls calls, ComplaintSteps steps, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class CallInput
    {
        public Guid CallId { get; set; }
        public CallOutcome? Outcome { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty] public CallInput Input { get; set; } = new();
    public IReadOnlyList<CustomerCall> Open { get; private set; } = [];
    public string? Flash { get; private set; }
    /// <summary>The call whose form was refused: it shows the message and keeps what was typed.</summary>
    public Guid? FailedCallId { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Flash = TempData["Flash"] as string;
        Open = await calls.OpenAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (result, message, call) = await calls.CompleteAsync(Input.CallId, Input.Outcome, Input.Note, User.ToWorkflowUser().Id, User.Identity!.Name!, ct);
        switch (result)
        {
            case CallResult.NotFound:
                return NotFound();
            case CallResult.Invalid:
                ModelState.AddModelError(Input.Outcome is null ? "Input.Outcome" : "Input.Note", l[message!]);
                FailedCallId = Input.CallId;
                Open = await calls.OpenAsync(ct);
                return Page();
            case CallResult.AlreadyRecorded:
                TempData["Flash"] = l["This call was already recorded by {0} at {1}.", await steps.DisplayNameAsync(call!.CompletedBy, ct) ?? "",
                    call.CompletedAt?.ToLocalTime().ToString("g", CultureInfo.CurrentCulture) ?? ""].Value;
                break;
            default:
                TempData["Flash"] = l["The call to {0} was recorded.", call!.CustomerName].Value;
                break;
        }
        return RedirectToPage();
    }
}
