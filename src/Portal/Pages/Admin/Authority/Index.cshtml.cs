using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Remediation.Domain;
using Remediation.Domain.Remedies;
using Remediation.Domain.Reviews;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;

namespace Remediation.Portal.Pages.Admin.Authority;

/// <summary>
/// Who may promise how much: the complaint authority limits (per role and per user, per currency) and the review
/// approval matrix (per currency, the levels in order). Both are read when a proposal or offer is made, so a change
/// applies to the next one; an offer already made keeps its chain. Every change is audited with the old and new values.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(RemediationDbContext db, IAuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>A limit's scope in the "applies to" list: <c>role:Handler</c> or <c>user:{id}</c>.</summary>
    public sealed class NewLimitInput
    {
        public string? AppliesTo { get; set; }
        public string? Currency { get; set; }
        public decimal? MaxAmount { get; set; }
    }

    public sealed class LimitInput
    {
        public Guid Id { get; set; }
        public decimal? MaxAmount { get; set; }
    }

    public sealed class LevelInput
    {
        public decimal? Above { get; set; }
        public string? Role { get; set; }
    }

    public sealed class MatrixInput
    {
        public string? Currency { get; set; }
        public List<LevelInput> Levels { get; set; } = [];
    }

    public sealed record LimitRow(Guid Id, string? Role, string? UserId, string AppliesTo, string Currency, decimal MaxAmount);
    public sealed record UserOption(string Id, string Label);

    /// <summary>Empty level rows offered under a currency's levels, to add levels.</summary>
    public const int SpareLevels = 1;

    public IReadOnlyList<LimitRow> Limits { get; private set; } = [];
    public IReadOnlyList<UserOption> Users { get; private set; } = [];
    /// <summary>The matrix by currency, levels lowest first.</summary>
    public IReadOnlyList<IGrouping<string, ApprovalLevel>> Matrix { get; private set; } = [];
    public NewLimitInput NewLimit { get; set; } = new();
    /// <summary>The currency whose matrix form was posted and refused, with what was entered (shown again as typed).</summary>
    public MatrixInput? PostedMatrix { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddLimitAsync([Bind(Prefix = nameof(NewLimit))] NewLimitInput input, CancellationToken ct)
    {
        NewLimit = input;
        const string field = nameof(NewLimit);
        var (role, userId) = await ScopeAsync(input.AppliesTo, ct);
        if (role is null && userId is null)
        {
            // The list offers only roles and users that exist: anything else was not typed into this form.
            if (!string.IsNullOrEmpty(input.AppliesTo)) await audit.WriteAsync(AuditEvents.RejectedInput, User.Identity?.Name, $"authority limit for unknown '{input.AppliesTo}'", ct);
            return await RefuseAsync($"{field}.{nameof(input.AppliesTo)}", l["Choose a role or a user the limit applies to."].Value, ct);
        }
        if (!Currencies.Supported.Contains(input.Currency ?? ""))
            return await RefuseAsync($"{field}.{nameof(input.Currency)}", l["Currency must be one of {0}.", string.Join(", ", Currencies.Supported)].Value, ct);
        if (input.MaxAmount is not { } amount) return await RefuseAsync($"{field}.{nameof(input.MaxAmount)}", l["{0} is required.", l["Maximum amount"].Value].Value, ct);

        var existing = await db.Set<AuthorityLimit>().FirstOrDefaultAsync(x => x.Currency == input.Currency && (role != null ? x.Role == role : x.UserId == userId), ct);
        try
        {
            var max = new Money(amount, input.Currency!);
            if (existing is null) db.Add(role is not null ? AuthorityLimit.ForRole(role, max) : AuthorityLimit.ForUser(userId!, max));
            else existing.ChangeMax(max);
            audit.Add(db, AuditEvents.AuthorityLimitChanged, User.Identity?.Name,
                $"{role ?? "user " + userId} {input.Currency}: {(existing is null ? "none" : Format(existing.MaxAmount))} -> {Format(max.Amount)}");
        }
        catch (DomainException e)
        {
            return await RefuseAsync($"{field}.{nameof(input.MaxAmount)}", l.Translate(e), ct);
        }
        await db.SaveChangesAsync(ct);
        return Saved(l["The limit was saved."].Value);
    }

    public async Task<IActionResult> OnPostChangeLimitAsync([Bind(Prefix = "Limit")] LimitInput input, CancellationToken ct)
    {
        var limit = await db.Set<AuthorityLimit>().FirstOrDefaultAsync(x => x.Id == input.Id, ct);
        if (limit is null) return NotFound();
        var field = $"Limit-{input.Id:N}";
        if (input.MaxAmount is not { } amount) return await RefuseAsync(field, l["{0} is required.", l["Maximum amount"].Value].Value, ct);
        var before = limit.MaxAmount;
        try
        {
            limit.ChangeMax(new Money(amount, limit.Currency));
        }
        catch (DomainException e)
        {
            return await RefuseAsync(field, l.Translate(e), ct);
        }
        audit.Add(db, AuditEvents.AuthorityLimitChanged, User.Identity?.Name,
            $"{limit.Role ?? "user " + limit.UserId} {limit.Currency}: {Format(before)} -> {Format(limit.MaxAmount)}");
        await db.SaveChangesAsync(ct);
        return Saved(l["The limit was saved."].Value);
    }

    public async Task<IActionResult> OnPostDeleteLimitAsync(Guid id, CancellationToken ct)
    {
        var limit = await db.Set<AuthorityLimit>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (limit is null) return NotFound();
        db.Remove(limit);
        audit.Add(db, AuditEvents.AuthorityLimitChanged, User.Identity?.Name,
            $"{limit.Role ?? "user " + limit.UserId} {limit.Currency}: {Format(limit.MaxAmount)} -> none");
        await db.SaveChangesAsync(ct);
        return Saved(l["The limit was removed."].Value);
    }

    /// <summary>Replaces one currency's levels with those entered (rows left empty are ignored).</summary>
    public async Task<IActionResult> OnPostMatrixAsync([Bind(Prefix = "Matrix")] MatrixInput input, CancellationToken ct)
    {
        PostedMatrix = input;
        var currency = input.Currency?.Trim().ToUpperInvariant() ?? "";
        var field = $"Matrix-{currency}";
        if (!Currencies.Supported.Contains(currency))
            return await RefuseAsync(field, l["Currency must be one of {0}.", string.Join(", ", Currencies.Supported)].Value, ct);
        var entered = input.Levels.Where(x => x.Above is not null || !string.IsNullOrWhiteSpace(x.Role)).ToList();
        for (var i = 0; i < entered.Count; i++)
        {
            if (entered[i].Above is null) return await RefuseAsync(field, l["Level {0}: the threshold is required.", i + 1].Value, ct);
            if (entered[i].Role is { Length: > 0 } role && !Roles.All.Contains(role))
            {
                await audit.WriteAsync(AuditEvents.RejectedInput, User.Identity?.Name, $"approval level with unknown role '{role}'", ct);
                return await RefuseAsync(field, l["Level {0}: {1} is not a role of the portal.", i + 1, role].Value, ct);
            }
        }
        IReadOnlyList<ApprovalLevel> levels;
        try
        {
            levels = ApprovalMatrix.LevelsFor(currency, [.. entered.Select(x => (x.Above!.Value, x.Role))]);
        }
        catch (DomainException e)
        {
            return await RefuseAsync(field, l.Translate(e), ct);
        }

        var current = await db.Set<ApprovalLevel>().Where(x => x.Currency == currency).ToListAsync(ct);
        // Same threshold: change the role in place (the threshold is the key); others are removed or added.
        foreach (var old in current)
        {
            if (levels.FirstOrDefault(x => x.Above == old.Above) is { } kept) db.Entry(old).Property(x => x.Role).CurrentValue = kept.Role;
            else db.Remove(old);
        }
        db.AddRange(levels.Where(x => current.All(old => old.Above != x.Above)));
        audit.Add(db, AuditEvents.ApprovalMatrixChanged, User.Identity?.Name, $"{currency}: {Describe(current)} -> {Describe(levels)}");
        await db.SaveChangesAsync(ct);
        return Saved(l["The approval levels for {0} were saved.", currency].Value);
    }

    private static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Describe(IEnumerable<ApprovalLevel> levels) =>
        "[" + string.Join(", ", levels.OrderBy(x => x.Above).Select(x => $"above {Format(x.Above)}: {x.Role}")) + "]";

    private IActionResult Saved(string message)
    {
        TempData["Message"] = message;
        return RedirectToPage();
    }

    private async Task<IActionResult> RefuseAsync(string key, string message, CancellationToken ct)
    {
        ModelState.AddModelError(key, message);
        await LoadAsync(ct);
        return Page();
    }

    private async Task<(string? Role, string? UserId)> ScopeAsync(string? appliesTo, CancellationToken ct)
    {
        if (appliesTo?.StartsWith("role:", StringComparison.Ordinal) == true && Roles.All.Contains(appliesTo[5..])) return (appliesTo[5..], null);
        if (appliesTo?.StartsWith("user:", StringComparison.Ordinal) == true)
        {
            var id = appliesTo[5..];
            if (await db.Users.AnyAsync(u => u.Id == id, ct)) return (null, id);
        }
        return (null, null);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        Users = [.. users.Select(u => new UserOption(u.Id, $"{u.DisplayName} ({u.Email})"))];
        var names = Users.ToDictionary(u => u.Id, u => u.Label);
        var limits = await db.Set<AuthorityLimit>().AsNoTracking().ToListAsync(ct);
        Limits = [.. limits
            .Select(x => new LimitRow(x.Id, x.Role, x.UserId, x.Role is not null ? l[x.Role].Value : names.GetValueOrDefault(x.UserId!, x.UserId!), x.Currency, x.MaxAmount))
            .OrderBy(x => x.Role is null).ThenBy(x => x.AppliesTo, StringComparer.CurrentCulture).ThenBy(x => x.Currency, StringComparer.Ordinal)];
        var levels = await db.Set<ApprovalLevel>().AsNoTracking().ToListAsync(ct);
        Matrix = [.. levels.OrderBy(x => x.Above).GroupBy(x => x.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)];
    }
}
