using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Remediation.Portal.Infrastructure;

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest request body accepted under <c>/api</c>, in bytes; Kestrel stops reading past it (413).</summary>
    public long MaxRequestBodySize { get; set; } = 256 * 1024;

    /// <summary>Largest CSV accepted by the import endpoints (paths ending in <c>/import</c>), in bytes.</summary>
    public long MaxImportBodySize { get; set; } = 64 * 1024 * 1024;
}

/// <summary>The JSON API under <c>/api</c>: RFC 9457 problem details for every error, and a small body limit.</summary>
public static class ApiExtensions
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static WebApplicationBuilder AddRemediationApi(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        if (options.MaxRequestBodySize < 1 || options.MaxImportBodySize < 1) throw new InvalidOperationException("Api:MaxRequestBodySize and Api:MaxImportBodySize must be positive (docs/configuration.md).");
        builder.Services.AddSingleton(options);
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>
    /// For requests under <c>/api</c>, in every environment: an unhandled exception becomes a problem+json 500 (or the
    /// status of a bad request, e.g. 413 for a body over the limit), and a response that ends without a body
    /// (404, 405, 401, 403, 415, …) gets a problem+json body instead of the HTML error page. The body limit is set on
    /// Kestrel's request before anything reads it, so an oversized body is refused while it arrives, never buffered.
    /// Call after <c>UseRemediationStatusCodePages</c>, whose HTML re-execution it switches off for these requests.
    /// </summary>
    public static WebApplication UseRemediationApiErrors(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<ApiOptions>();
        app.UseWhen(context => IsApi(context.Request), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            api.Use(async (context, next) =>
            {
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body) body.MaxRequestBodySize =
                    context.Request.Path.Value?.EndsWith("/import", StringComparison.Ordinal) == true ? options.MaxImportBodySize : options.MaxRequestBodySize;
                if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                await next(context);
                var response = context.Response;
                if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
                {
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext { HttpContext = context });
                }
            });
        });
        return app;
    }
}
