using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace Remediation.Portal.Infrastructure;

public static class WebExtensions
{
    /// <summary>Razor Pages with localized views and DataAnnotations, and AutoMapper. (Razor Pages validate the antiforgery token on every POST by default.)</summary>
    public static WebApplicationBuilder AddRemediationWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services
            // Every page under /Admin needs the Admin policy even if a new page forgets its [Authorize].
            .AddRazorPages(o => o.Conventions.AuthorizeFolder("/Admin", IdentityExtensions.AdminPolicy))
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o =>
                o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)))
;
        builder.Services.AddSingleton<IConfigureOptions<MvcOptions>, LocalizedModelBindingMessages>();
        // Chinese text goes out as UTF-8, not as character references: the default encoder escapes everything outside
        // Basic Latin (8 bytes per character on a Chinese page). Markup characters (< > & " ') are still encoded.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

        builder.Services.AddAutoMapper(cfg => cfg.LicenseKey = builder.Configuration["AutoMapper:LicenseKey"], typeof(Program));
        return builder;
    }

    /// <summary>
    /// Error pages for responses that end without a body (404, the cookie handler's 403 to an AJAX request, 400, …):
    /// the request is re-executed at <c>/Error?status=N</c>. Call after <c>UseExceptionHandler</c>. Both re-executions
    /// run as a <b>GET</b>: re-running a failed POST as a POST would go through the error page's form handling
    /// (antiforgery, handler selection), turning a 403 into a 400; the error page only shows text.
    /// </summary>
    public static WebApplication UseRemediationStatusCodePages(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            var reExecuted = context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerFeature>() is not null;
            if (!reExecuted || HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            {
                await next(context);
                return;
            }
            context.Request.Method = HttpMethods.Get;
            try { await next(context); }
            finally { context.Request.Method = method; }
        });
        return app;
    }

    /// <summary>/healthz: JSON with the overall status and one entry per check (anonymous, for probes).</summary>
    public static IEndpointConventionBuilder MapRemediationHealthChecks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthJson }).AllowAnonymous();

    private static Task WriteHealthJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                // The exception type only: messages can carry connection details.
                error = e.Value.Exception?.GetType().Name,
            }),
        }, cancellationToken: context.RequestAborted);
    }
}

/// <summary>Model-binding messages ("The value 'x' is not valid") bypass DataAnnotations localization; route them through the shared resources too.</summary>
public sealed class LocalizedModelBindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        var l = factory.Create(typeof(SharedResource));
        var messages = options.ModelBindingMessageProvider;
        messages.SetValueMustNotBeNullAccessor(v => l["The value '{0}' is invalid.", v]);
        messages.SetAttemptedValueIsInvalidAccessor((v, f) => l["The value '{0}' is not valid for {1}.", v, f]);
        messages.SetMissingBindRequiredValueAccessor(f => l["A value for the '{0}' field was not provided.", f]);
        messages.SetValueIsInvalidAccessor(v => l["The value '{0}' is invalid.", v]);
        messages.SetValueMustBeANumberAccessor(f => l["The field {0} must be a number.", f]);
    }
}
