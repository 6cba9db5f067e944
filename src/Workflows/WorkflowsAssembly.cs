namespace Remediation.Workflows;

/// <summary>Anchor type for locating this assembly (EF configurations, embedded resources).</summary>
public static class WorkflowsAssembly;
