using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Remediation.Portal.Infrastructure;

/// <summary>
/// Remembers every resource string found, per UI culture. A page looks up a few hundred strings (labels, buttons, one set
/// per queue row), and each <see cref="System.Resources.ResourceManager"/> lookup takes a process-wide lock: under load
/// the portal spent about 15 % of its CPU there, much of it spinning on that lock (docs/performance.md). Only strings
/// that exist are cached, so the cache is bounded by the resource files whatever names callers pass.
/// </summary>
public sealed class CachingStringLocalizerFactory(ResourceManagerStringLocalizerFactory inner) : IStringLocalizerFactory
{
    private readonly ConcurrentDictionary<(Type? Type, string? BaseName, string? Location), IStringLocalizer> localizers = new();

    public IStringLocalizer Create(Type resourceSource) =>
        localizers.GetOrAdd((resourceSource, null, null), _ => new CachingStringLocalizer(inner.Create(resourceSource)));

    public IStringLocalizer Create(string baseName, string location) =>
        localizers.GetOrAdd((null, baseName, location), _ => new CachingStringLocalizer(inner.Create(baseName, location)));

    private sealed class CachingStringLocalizer(IStringLocalizer inner) : IStringLocalizer
    {
        private readonly ConcurrentDictionary<(string Culture, string Name), LocalizedString> found = new();

        public LocalizedString this[string name]
        {
            get
            {
                var key = (CultureInfo.CurrentUICulture.Name, name);
                if (found.TryGetValue(key, out var cached)) return cached;
                var value = inner[name];
                if (!value.ResourceNotFound) found.TryAdd(key, value);
                return value;
            }
        }

        // Formatted as ResourceManagerStringLocalizer formats: the current culture, the arguments into the found text.
        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var format = this[name];
                return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);
    }
}
