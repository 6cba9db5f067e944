using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace Remediation.Portal.Infrastructure;

/// <summary>
/// The names in the shipped BPMN files (tasks, events, gateways, flows), for showing their diagrams in the reader's
/// language: the case and review pages hand the browser a map from each English name to its translation, and
/// case-diagram.js puts the translations into the diagram before drawing it. A name without a translation (an admin's
/// own process) is drawn as written.
/// </summary>
public static partial class DiagramNames
{
    private static readonly Lazy<string[]> Shipped = new(() =>
    {
        var assembly = typeof(DiagramNames).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.EndsWith(".bpmn", StringComparison.Ordinal)).SelectMany(resource =>
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            return NameAttribute().Matches(reader.ReadToEnd()).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        }).Distinct(StringComparer.Ordinal).ToArray();
    });

    /// <summary>JSON of {English name: translation} in the current UI language; empty in English.</summary>
    public static string Json(IStringLocalizer localizer)
    {
        var culture = CultureInfo.CurrentUICulture.Name;
        if (!culture.StartsWith("zh", StringComparison.Ordinal)) return "";
        // The resources do not change while the process runs: built once per language, not on every case page.
        return ByCulture.GetOrAdd(culture, _ =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in Shipped.Value)
                if (localizer[name] is { ResourceNotFound: false } text && text.Value != name) map[name] = text.Value;
            return JsonSerializer.Serialize(map);
        });
    }

    private static readonly ConcurrentDictionary<string, string> ByCulture = new(StringComparer.Ordinal);

    [GeneratedRegex(@"\sname=""([^""]+)""")]
    private static partial Regex NameAttribute();
}
