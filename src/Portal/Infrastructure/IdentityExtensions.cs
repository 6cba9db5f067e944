using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Remediation.Portal.Data;
using Remediation.Portal.Pages.Account;

namespace Remediation.Portal.Infrastructure;

public static class IdentityExtensions
{
    /// <summary>Name of the policy that admits the <see cref="Roles.Admin"/> role (admin pages, Hangfire dashboard).</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>
    /// ASP.NET Core Identity with cookie sign-in backed by server-side sessions (<see cref="DatabaseTicketStore"/>,
    /// <c>Sessions:*</c>), lockout after 5 failures for 15 minutes, failed sign-ins throttled per address and account
    /// (<c>LoginThrottle:*</c>), no self-registration, and an authenticated-user fallback policy so a page is private
    /// unless it says [AllowAnonymous].
    /// </summary>
    public static WebApplicationBuilder AddRemediationIdentity(this WebApplicationBuilder builder)
    {
        var sessions = builder.Configuration.GetSection(SessionLifetimeOptions.Section).Get<SessionLifetimeOptions>() ?? new SessionLifetimeOptions();
        var throttle = builder.Configuration.GetSection(LoginThrottleOptions.Section).Get<LoginThrottleOptions>() ?? new LoginThrottleOptions();
        if (sessions.Validate().Concat(throttle.Validate()).ToList() is { Count: > 0 } problems)
            throw new InvalidOperationException("Sign-in configuration is invalid: " + string.Join(" ", problems) + " (docs/configuration.md)");
        builder.Services.AddSingleton(sessions);
        builder.Services.AddSingleton<DatabaseTicketStore>();
        builder.Services.AddSingleton(_ => new LoginThrottle(throttle));

        builder.Services
            .AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<RemediationDbContext>()
            .AddSignInManager<PortalSignInManager>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "Remediation.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = sessions.IdleTimeout;
            // Signing in on a login URL that carries ?ReturnUrl= makes the handler itself redirect there (the handler has
            // checked it is host-relative); encode it so a non-ASCII return URL does not fail the response.
            o.Events.OnRedirectToReturnUrl = context =>
            {
                context.Response.Redirect(LocalUrls.ForLocationHeader(context.RedirectUri));
                return Task.CompletedTask;
            };
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((o, store) => o.SessionStore = store);
        // Disabling a user or changing roles updates the security stamp; re-check it often so it bites within a minute.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));

        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        builder.Services.AddSingleton<IAuditLog, AuditLog>();
        return builder;
    }
}

/// <summary>Refuses sign-in (password or cookie refresh) for users an admin has disabled.</summary>
public sealed class PortalSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ApplicationUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<ApplicationUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsDisabled: false } ? user : null;
    }
}

/// <summary>Writes every authorization denial (403) to the audit log, then lets the default handler respond.</summary>
public sealed class AuditingAuthorizationResultHandler(IAuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            await audit.WriteAsync(AuditEvents.AccessDenied, context.User.Identity?.Name,
                $"{context.Request.Method} {context.Request.Path}", context.RequestAborted);
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>Claim types the portal adds to the sign-in cookie.</summary>
public static class PortalClaims
{
    public const string DisplayName = "remediation:display_name";
}

/// <summary>Puts the display name in the cookie so the layout and home page need no database read.</summary>
public sealed class PortalClaimsPrincipalFactory(
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrWhiteSpace(user.DisplayName)) identity.AddClaim(new Claim(PortalClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
