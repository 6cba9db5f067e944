namespace Remediation.Workflows.Model;

/// <summary>
/// A host's own check on a process, run after the engine's by <see cref="IWorkflowDefinitions.ValidateAsync"/>, by publish
/// (an error refuses it) and by <c>ValidateOffline</c> (<c>bpmn validate</c>). The engine knows nothing of what a rule
/// checks (the portal's refuses a payment that only a review's rating can reach). Register with
/// <see cref="WorkflowServiceCollectionExtensions.AddProcessRule{TRule}"/>. Each problem names its element.
/// </summary>
public interface IProcessRule
{
    IEnumerable<ValidationProblem> Check(ProcessModel model);
}
