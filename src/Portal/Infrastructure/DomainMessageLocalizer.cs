using Microsoft.Extensions.Localization;
using Remediation.Domain;

namespace Remediation.Portal.Infrastructure;

/// <summary>
/// Shows a <see cref="DomainException"/> in the UI language: its English template is the resource key, field names
/// (<see cref="DomainText"/>) and enum values (steps, remedy types) are translated too; other arguments are data.
/// src/Domain stays free of any localization framework.
/// </summary>
public static class DomainMessageLocalizer
{
    public static string Translate(this IStringLocalizer l, DomainException e)
    {
        var arguments = e.Arguments.Select(object (a) => a switch
        {
            DomainText text => l[text.English].Value,
            Enum value => l[value.ToString()].Value,
            _ => a ?? "",
        }).ToArray();
        return l[e.Template, arguments].Value;
    }
}
