using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using Remediation.Domain.ServiceLevels;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Complaints;

/// <summary>Configuration section <c>Complaints</c>.</summary>
public sealed class ComplaintOptions
{
    public const string Section = "Complaints";

    /// <summary>Authority limits for the Handler role created when the AuthorityLimits table is empty (currency → max amount).</summary>
    public Dictionary<string, decimal> HandlerLimits { get; set; } = new() { ["CNY"] = 200m, ["EUR"] = 25m, ["USD"] = 30m };
}

public static class ComplaintHandlingExtensions
{
    /// <summary>
    /// The complaint procedure: service levels (<c>ServiceLevels</c>, refused at start-up when invalid), the notification
    /// port, topic handlers and form keys, the application services, and publishing the shipped BPMN on first start.
    /// </summary>
    public static WebApplicationBuilder AddComplaintHandling(this WebApplicationBuilder builder)
    {
        // Customers' phone numbers without a country code are numbers of this region (docs/configuration.md).
        PhoneNumber.UseDefaultRegion(builder.Configuration["Phones:DefaultRegion"] ?? "CN");

        var policy = new ServiceLevelPolicy();
        builder.Configuration.GetSection("ServiceLevels").Bind(policy);
        if (policy.Validate() is { Count: > 0 } problems)
            throw new InvalidOperationException("ServiceLevels configuration is invalid: " + string.Join(" ", problems));
        builder.Services.AddSingleton(policy);

        var notifications = builder.Configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions();
        if (notifications.Validate() is { Count: > 0 } invalid)
            throw new InvalidOperationException("Notifications configuration is invalid: " + string.Join(" ", invalid) + " (docs/configuration.md)");
        builder.Services.AddSingleton(notifications);
        if (notifications.UsesSmtp) builder.Services.AddScoped<INotificationSender, SmtpNotificationSender>();
        else builder.Services.AddScoped<INotificationSender, FileNotificationSender>();
        if (notifications.Sms.UsesFile) builder.Services.AddScoped<ISmsSender, FileSmsSender>();
        else builder.Services.AddSingleton<ISmsSender, NoSmsSender>();
        builder.Services.AddScoped<CustomerMessages>();
        builder.Services.AddScoped<CustomerCalls>();

        builder.Services.AddSingleton(builder.Configuration.GetSection(ComplaintOptions.Section).Get<ComplaintOptions>() ?? new ComplaintOptions());
        builder.Services.AddScoped<ComplaintIntake>();
        builder.Services.AddScoped<ComplaintSteps>();
        builder.Services.AddScoped<ComplaintQueue>();
        builder.Services.AddScoped<ComplaintSearch>();
        builder.Services.AddScoped<Inbox.StaffInbox>();
        builder.Services.AddScoped<WorkOrderDesk>();
        builder.Services.AddScoped<Remediation.Portal.Team.TeamDesk>();
        builder.Services.AddSingleton<CaseReadLog>();
        builder.Services.AddHostedService<CaseReadWriter>();
        builder.Services.AddHostedService<ComplaintWorkflowPublisher>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(ComplaintPolicies.Handler, p => p.RequireRole(Roles.Handler));
        // JSON clients get 401/403, not a redirect to the login or access-denied page.
        builder.Services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var (login, denied) = (o.Events.OnRedirectToLogin, o.Events.OnRedirectToAccessDenied);
            o.Events.OnRedirectToLogin = c => IsApi(c.Request) ? Status(c.Response, StatusCodes.Status401Unauthorized) : login(c);
            o.Events.OnRedirectToAccessDenied = c => IsApi(c.Request) ? Status(c.Response, StatusCodes.Status403Forbidden) : denied(c);
        });
        return builder;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task Status(HttpResponse response, int status)
    {
        // JSON clients get the bare status, not the HTML error page the status-code pages would render.
        if (response.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Topics and form keys of the complaint BPMN (also used by <c>bpmn validate</c>).</summary>
    public static IServiceCollection AddComplaintWorkflowCatalog(this IServiceCollection services)
    {
        services.AddWorkflowTopicHandler<AcknowledgeComplaintHandler>(ComplaintProcess.Topics.Acknowledge);
        services.AddWorkflowTopicHandler<DeliverRemedyHandler>(ComplaintProcess.Topics.DeliverRemedy);
        services.AddWorkflowTopicHandler<MarkOverdueHandler>(ComplaintProcess.Topics.MarkOverdue);
        services.AddWorkflowTopicHandler<NotifyApproverHandler>(ComplaintProcess.Topics.NotifyApprover);
        services.AddWorkflowTopicHandler<PaymentFailedHandler>(ComplaintProcess.Topics.PaymentFailed);
        services.AddWorkflowFormKeys(ComplaintProcess.FormKeys.All);
        return services;
    }
}

public static class ComplaintPolicies
{
    public const string Handler = "ComplaintHandler";
}

/// <summary>
/// On start: publishes each shipped BPMN file (embedded resource) whose process has no published version yet,
/// and creates the default Handler authority limits when none exist. A newer file is published by an admin, not here.
/// </summary>
internal sealed class ComplaintWorkflowPublisher(IServiceScopeFactory scopes, IWorkflowDefinitions definitions, ComplaintOptions options,
    TimeProvider clock, ILogger<ComplaintWorkflowPublisher> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var file in ComplaintProcess.DefinitionFiles)
        {
            var xml = ReadDefinition(file);
            // Once published, the process belongs to the admins: a restart must not replace their draft with the shipped file.
            var shipped = Studio.DefinitionChanges.ProcessId(xml) ?? throw new InvalidOperationException($"{file} has no process.");
            if ((await definitions.ListAsync(shipped, cancellationToken)).Any(d => d.Status == Workflows.Persistence.DefinitionStatus.Published)) continue;
            var draft = await definitions.SaveDraftAsync(xml, cancellationToken);
            if (!draft.IsOk) throw new InvalidOperationException($"{file}: {draft.Message}");
            var processId = draft.Value!.ProcessId;
            var published = await definitions.PublishAsync(processId, cancellationToken);
            if (!published.IsOk)
                throw new InvalidOperationException($"{file} cannot be published: {published.Message} {string.Join("; ", published.Problems)}");
            logger.LogInformation("Published {ProcessId} version {Version}", processId, published.Value!.Version);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        if (!await db.Set<AuthorityLimit>().AnyAsync(cancellationToken))
        {
            foreach (var (currency, max) in options.HandlerLimits) db.Add(AuthorityLimit.ForRole(Roles.Handler, new Money(max, currency)));
            await db.SaveChangesAsync(cancellationToken);
        }

        // Sample cases for the embedded demo (Seed:SampleCases, set in appsettings.Development.json): only into an empty database.
        var sampleCases = scope.ServiceProvider.GetService<IConfiguration>()?.GetValue("Seed:SampleCases", 0) ?? 0;
        if (sampleCases > 0 && !await db.Set<Complaint>().IgnoreAutoIncludes().AnyAsync(cancellationToken))
        {
            // Received over the last four hours: most steps are due today, a few (the oldest at Vent or Apologise) are overdue.
            await Cli.ComplaintSeeder.SeedAsync(scope.ServiceProvider, sampleCases, clock.GetUtcNow(), TextWriter.Null, cancellationToken,
                spread: TimeSpan.FromHours(4));
            logger.LogInformation("Seeded {Count} sample complaints", sampleCases);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string ReadDefinition(string file)
    {
        using var stream = typeof(ComplaintWorkflowPublisher).Assembly.GetManifestResourceStream($"Remediation.Portal.Workflows.{file}")
            ?? throw new InvalidOperationException($"The embedded BPMN file {file} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
