using Microsoft.AspNetCore.Identity;
using Remediation.Portal.Data;

namespace Remediation.Portal.Infrastructure;

public static class SeedExtensions
{
    /// <summary>The documented password of every demo user (docs/demo-users.md).</summary>
    public const string DemoPassword = "Demo!2026";

    /// <summary>The demo users: one per role and one holding every role.</summary>
    public static readonly IReadOnlyList<(string Email, string DisplayName, string[] Roles)> DemoUsers =
    [
        ("handler@demo.local", "Demo Handler", [Roles.Handler]),
        ("supervisor@demo.local", "Demo Supervisor", [Roles.Supervisor]),
        ("approver@demo.local", "Demo Approver", [Roles.Approver]),
        ("admin@demo.local", "Demo Admin", [Roles.Admin]),
        ("all@demo.local", "Demo All Roles", [.. Roles.All]),
    ];

    /// <summary>
    /// Creates the roles (always) and, when <c>Seed:DemoData</c> is on, the demo users that do not exist yet and the demo
    /// canned replies (into an empty table).
    /// <c>Seed:DemoData</c> defaults to true on the embedded SQLite provider and false on SQL Server.
    /// </summary>
    public static async Task SeedRemediationAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)), role);
        }

        var configuration = sp.GetRequiredService<IConfiguration>();
        var database = sp.GetRequiredService<DatabaseOptions>();
        if (!configuration.GetValue("Seed:DemoData", database.Provider == DatabaseProvider.Sqlite)) return;

        var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var (email, displayName, userRoles) in DemoUsers)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
            Check(await users.CreateAsync(user, DemoPassword), email);
            Check(await users.AddToRolesAsync(user, userRoles), email);
        }
        await Replies.ReplyTemplateSamples.SeedAsync(sp.GetRequiredService<RemediationDbContext>(), sp.GetRequiredService<TimeProvider>().GetUtcNow());
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Seeding {what} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
