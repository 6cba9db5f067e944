namespace Remediation.Portal.Complaints;

/// <summary>The names the complaint BPMN files, the engine and the portal agree on (docs/domain-model.md, "Process contract").</summary>
public static class ComplaintProcess
{
    public const string ProcessId = "complaint-handling";
    public const string ApprovalProcessId = "compensation-approval";

    public static class FormKeys
    {
        public const string Vent = "complaint-vent";
        public const string Apologise = "complaint-apologise";
        public const string Probe = "complaint-probe";
        public const string Propose = "complaint-propose";
        public const string Approve = "compensation-approve";
        public const string Confirm = "complaint-confirm";
        public const string FollowUp = "complaint-follow-up";
        public const string WorkOrder = "complaint-work-order";
        public const string Escalation = "complaint-escalation";

        public static readonly string[] All = [Vent, Apologise, Probe, Propose, Approve, Confirm, FollowUp, WorkOrder, Escalation];

        /// <summary>The six steps a Handler works on the case page.</summary>
        public static readonly string[] HandlerSteps = [Vent, Apologise, Probe, Propose, Confirm, FollowUp];
    }

    public static class Topics
    {
        public const string Acknowledge = "complaint.acknowledge";
        public const string DeliverRemedy = "complaint.deliver-remedy";
        public const string MarkOverdue = "complaint.mark-overdue";
        public const string NotifyApprover = "compensation.notify-approver";
        public const string PaymentFailed = "complaint.payment-failed";
    }

    /// <summary>The BPMN files shipped with the portal, in publish order (the called process first).</summary>
    public static readonly string[] DefinitionFiles = ["compensation-approval.bpmn", "complaint-handling.bpmn"];
}
