using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Complaints;

/// <summary>
/// Phone intake following the script (docs/business.md §4): fill in, read back to the customer (second screen), confirm.
/// A likely duplicate (same phone and order within 7 days) is offered for linking before anything is created.
/// </summary>
[Authorize(Roles = Roles.Handler)]
public sealed class NewModel(ComplaintIntake intake, IStringLocalizer<SharedResource> l) : PageModel
{
    public enum Screen { Form, ReadBack, Duplicates }

    [BindProperty] public IntakeRequest Input { get; set; } = new();
    public Screen Showing { get; private set; } = Screen.Form;
    public IReadOnlyList<DuplicateCandidate> Duplicates { get; private set; } = [];

    public void OnGet() { }

    /// <summary>First screen submitted: validate, then show the read-back.</summary>
    public IActionResult OnPostReview()
    {
        if (!IsValid()) return Page();
        Showing = Screen.ReadBack;
        return Page();
    }

    public IActionResult OnPostEdit() => Page();

    public Task<IActionResult> OnPostConfirmAsync(CancellationToken ct) => CreateAsync(allowDuplicate: false, ct);

    public Task<IActionResult> OnPostCreateAnywayAsync(CancellationToken ct) => CreateAsync(allowDuplicate: true, ct);

    private async Task<IActionResult> CreateAsync(bool allowDuplicate, CancellationToken ct)
    {
        if (!IsValid()) return Page();
        var result = await intake.ReceiveAsync(Input, User.ToWorkflowUser().Id, allowDuplicate, ct);
        switch (result.Outcome)
        {
            case IntakeOutcome.PossibleDuplicate:
                Duplicates = result.Duplicates!;
                Showing = Screen.Duplicates;
                return Page();
            case IntakeOutcome.Invalid:
                AddErrors(result.Errors!);
                return Page();
            default:
                TempData["Flash"] = l["Complaint {0} was saved and its procedure started.", result.Reference!].Value;
                return RedirectToPage("Case", new { id = result.ComplaintId });
        }
    }

    private bool IsValid()
    {
        // A value that did not bind (an option that is not in the list) would leave the field at its default: refuse it
        // by name, with the intake validation's message for that field.
        var unbound = ModelState.Where(e => e.Value!.ValidationState == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
            .Select(e => e.Key.StartsWith(nameof(Input) + ".", StringComparison.Ordinal) ? e.Key[(nameof(Input).Length + 1)..] : e.Key).ToHashSet();
        ModelState.Clear();
        var errors = ComplaintIntake.Validate(Input).ToList();
        errors.AddRange(unbound.Where(f => errors.All(e => e.Field != f)).Select(ComplaintIntake.NotAChoice).ToList());
        AddErrors(errors);
        return ModelState.IsValid;
    }

    private void AddErrors(IEnumerable<FieldError> errors)
    {
        foreach (var e in errors)
            ModelState.AddModelError($"{nameof(Input)}.{e.Field}",
                l[e.Message, e.Arguments.Select(a => a is string field ? l[FieldLabels.GetValueOrDefault(field, field)].Value : a).ToArray()]);
    }

    /// <summary>The English label (resource key) of each intake field.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldLabels = new Dictionary<string, string>
    {
        [nameof(IntakeRequest.ContactName)] = "Contact name",
        [nameof(IntakeRequest.Phone)] = "Phone",
        [nameof(IntakeRequest.Email)] = "E-mail",
        [nameof(IntakeRequest.Goods)] = "Goods",
        [nameof(IntakeRequest.OrderReference)] = "Order reference",
        [nameof(IntakeRequest.PickupAddress)] = "Pickup address",
        [nameof(IntakeRequest.DeliveryAddress)] = "Delivery address",
        [nameof(IntakeRequest.Channel)] = "Channel",
        [nameof(IntakeRequest.Category)] = "Category",
        [nameof(IntakeRequest.Severity)] = "Severity",
        [nameof(IntakeRequest.Account)] = "The customer's account",
        [nameof(IntakeRequest.VipTier)] = "VIP tier",
        [nameof(IntakeRequest.Personality)] = "Personality",
    };
}
