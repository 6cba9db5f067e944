using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace Remediation.Portal.Infrastructure;

public static class LocalizationExtensions
{
    /// <summary>The UI cultures offered in the navbar; the first is the default.</summary>
    public static readonly IReadOnlyList<CultureInfo> SupportedCultures = [new("en"), new("zh-Hans")];

    /// <summary>
    /// One shared resource set (<see cref="SharedResource"/>) for views, page models and DataAnnotations.
    /// The culture comes from the culture cookie set by the navbar switch, else the browser's Accept-Language.
    /// </summary>
    public static WebApplicationBuilder AddRemediationLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        builder.Services.AddSingleton<IStringLocalizerFactory>(sp => new CachingStringLocalizerFactory(sp.GetRequiredService<ResourceManagerStringLocalizerFactory>()));
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(SupportedCultures[0]);
            o.SupportedCultures = [.. SupportedCultures];
            o.SupportedUICultures = [.. SupportedCultures];
            // Cookie first, then the browser; the query-string provider is not needed.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
            // zh-CN / zh-SG browsers fall back to zh-Hans through the parent chain (zh-CN -> zh-Hans).
            o.FallBackToParentUICultures = true;
            o.FallBackToParentCultures = true;
        });
        return builder;
    }
}
