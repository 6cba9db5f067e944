namespace Remediation.Domain.Complaints;

/// <summary>The six-step procedure (docs/business.md §1) plus the approval, delivery and callback stages between them.</summary>
public enum ComplaintStep
{
    Vent,
    Apologise,
    Probe,
    Propose,
    /// <summary>The proposal exceeds the handler's authority and waits for an approver.</summary>
    Approval,
    Confirm,
    /// <summary>The customer accepted; the remedy is being delivered.</summary>
    Deliver,
    /// <summary>Remedy delivered; waiting for the callback to fall due.</summary>
    AwaitFollowUp,
    /// <summary>The callback is due.</summary>
    FollowUp,
    Closed,
}

public enum ComplaintStatus
{
    Open,
    /// <summary>Written up as a work order (客服工单) and handed to a supervisor.</summary>
    Escalated,
    Closed,
}

public enum ComplaintChannel { Phone, Email, Web, Chat, InPerson, SocialReview }

public enum ComplaintCategory { ProductQuality, Delivery, ServiceAttitude, Billing, NegativeReview, Other }

public enum ComplaintSeverity { Low, Medium, High, Critical }

/// <summary>The customer's state while venting; "Abusive" is the seeds' 破口大骂.</summary>
public enum EmotionalState { Calm, Upset, Angry, Abusive }

public enum FollowUpMethod { Phone, Email, Letter }

/// <summary>How a supervisor reached the customer about a work order.</summary>
public enum ContactChannel { Phone, Sms, Email, Chat, InPerson, Letter }

public enum WorkOrderTrigger
{
    /// <summary>The handler could not finish the case and handed it up.</summary>
    HandedUp,
    /// <summary>The customer rejected the third proposed remedy.</summary>
    ThirdRejection,
}
