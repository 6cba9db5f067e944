using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Reviews;

namespace Remediation.Portal.Pages.Reviews;

/// <summary>
/// CSV import: the upload is checked first (a preview listing every bad row by line, column and message, nothing saved);
/// the user confirms, and the same file (kept in a temporary file named by a random token) is imported.
/// </summary>
[Authorize(Roles = Roles.Handler)]
[RequestFormLimits(MultipartBodyLengthLimit = 64 * 1024 * 1024)]
[RequestSizeLimit(64 * 1024 * 1024)]
public sealed class ImportModel(ReviewImport import, IStringLocalizer<SharedResource> l) : PageModel
{
    public ImportSummary? Preview { get; private set; }
    public ImportSummary? Done { get; private set; }
    /// <summary>The checked upload waiting for confirmation.</summary>
    public string? Token { get; private set; }
    public string? FileName { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", l["Choose a CSV file."].Value);
            return Page();
        }
        Token = Guid.NewGuid().ToString("N");
        await using (var saved = System.IO.File.Create(PathOf(Token)))
            await file.CopyToAsync(saved, ct);
        FileName = Path.GetFileName(file.FileName);
        await using var stream = System.IO.File.OpenRead(PathOf(Token));
        Preview = await import.RunAsync(stream, null, dryRun: true, User.ToWorkflowUser().Id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? token, CancellationToken ct)
    {
        if (token is null || token.Length != 32 || !token.All(char.IsAsciiHexDigitLower) || !System.IO.File.Exists(PathOf(token)))
        {
            ModelState.AddModelError("file", l["The checked file has expired; choose it again."].Value);
            return Page();
        }
        await using (var stream = System.IO.File.OpenRead(PathOf(token)))
            Done = await import.RunAsync(stream, null, dryRun: false, User.ToWorkflowUser().Id, ct);
        System.IO.File.Delete(PathOf(token));
        return Page();
    }

    // Per user: one user cannot confirm another's upload.
    private string PathOf(string token) =>
        Path.Combine(Path.GetTempPath(), $"remediation-import-{new string(User.ToWorkflowUser().Id.Where(char.IsAsciiLetterOrDigit).ToArray())}-{token}.csv");
}
