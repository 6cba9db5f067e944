namespace Remediation.Portal.Data;

/// <summary>The currencies the portal's admin pages offer for authority limits and the approval matrix (docs/decisions.md).</summary>
public static class Currencies
{
    public static readonly IReadOnlyList<string> Supported = ["CNY", "EUR", "USD"];
}
