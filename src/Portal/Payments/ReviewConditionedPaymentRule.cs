using System.Text.RegularExpressions;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Model;

namespace Remediation.Portal.Payments;

/// <summary>
/// The incentive firewall at publish (docs/business.md): a process may not pay only when a review's rating or status says so.
/// A compensation service task (<see cref="CompensationTopics"/>) that no path from a start event reaches without taking a
/// flow whose condition reads a review variable (<see cref="ReviewVariables"/>, or <c>review.rating</c>-style paths) is an
/// error on the gateway that decides it. Paying on other grounds (an approval, the customer's acceptance) is fine, and so is a
/// gateway on the rating that leads to the payment by another way too.
/// </summary>
public sealed class ReviewConditionedPaymentRule : IProcessRule
{
    /// <summary>Service task topics that pay or compensate a customer.</summary>
    public static readonly IReadOnlySet<string> CompensationTopics = new HashSet<string>(StringComparer.Ordinal) { PaymentProcess.RequestTopic };

    /// <summary>Process variables that hold a review's rating or status.</summary>
    public static readonly IReadOnlyList<string> ReviewVariables =
        ["rating", "reviewRating", "newRating", "stars", "reviewStatus", "reviewChanged", "reviewModified", "reviewUpdated", "reviewRemoved", "reviewDeleted"];

    public IEnumerable<ValidationProblem> Check(ProcessModel model)
    {
        var payments = model.DocumentOrder.OfType<ServiceTask>().Where(t => CompensationTopics.Contains(t.Topic)).ToList();
        var onReview = model.Flows.Where(f => f.Condition is { } condition && ReviewReference.IsMatch(condition)).ToList();
        if (payments.Count == 0 || onReview.Count == 0) return [];

        var reachable = ReachableWithout(model, onReview.Select(f => f.Id).ToHashSet());
        var problems = new List<ValidationProblem>();
        foreach (var payment in payments.Where(p => !reachable.Contains(p.Id)))
            foreach (var flow in onReview.Where(f => f.Target.Id == payment.Id || model.CanReach(f.Target.Id, payment.Id)).DistinctBy(f => f.Source.Id))
                problems.Add(new ValidationProblem(flow.Source.Id,
                    $"Gateway '{flow.Source.Name ?? flow.Source.Id}' decides on a review's rating or status ({ReviewReference.Match(flow.Condition!).Value.Trim()}), " +
                    $"and the payment '{payment.Name ?? payment.Id}' ({payment.Topic}) can only be reached through it. Compensation must never depend on a " +
                    "review being changed or removed (incentive firewall): pay on the case's own merits, e.g. after approval."));
        return problems;
    }

    /// <summary>Every element a token can reach from a start event without taking one of <paramref name="blocked"/>.</summary>
    private static HashSet<string> ReachableWithout(ProcessModel model, HashSet<string> blocked)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<FlowNode>(model.StartEvents);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node.Id)) continue;
            foreach (var flow in node.Outgoing.Where(f => !blocked.Contains(f.Id))) stack.Push(flow.Target);
            if (node is ActivityNode activity)
                foreach (var boundary in activity.Boundaries) stack.Push(boundary);
        }
        return seen;
    }

    /// <summary>A review variable as an identifier (not inside a longer name or a string), or a path such as <c>review.rating</c>.</summary>
    private static readonly Regex ReviewReference = new(
        $@"(?<![\w$.'""])(review\s*\.\s*(rating|stars|status|changed|modified|removed|deleted)|{string.Join("|", ReviewVariables)})(?![\w$])",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
