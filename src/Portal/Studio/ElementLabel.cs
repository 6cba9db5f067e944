using Microsoft.Extensions.Localization;

namespace Remediation.Portal.Studio;

/// <summary>A BPMN element as the studio names it: its name in the reader's language (the shipped processes' names are
/// resource keys) and its id, or the id alone when it has no name.</summary>
public static class ElementLabel
{
    public static string Of(IStringLocalizer l, string? name, string id) => name is null ? id : $"{l[name].Value} ({id})";
}
