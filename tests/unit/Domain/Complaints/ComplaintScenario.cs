using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;

namespace Remediation.UnitTests.Domain.Complaints;

/// <summary>Walks a complaint through its steps so each test starts where it needs to.</summary>
internal static class ComplaintScenario
{
    public const string Handler = "handler-1";
    public const string Approver = "approver-1";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly string[] HandlerRoles = ["Handler"];
    public static readonly AuthorityLimit[] Limits = [AuthorityLimit.ForRole("Handler", new Money(200m, "CNY"))];

    public static Complaint Received(Guid? customerId = null, string? orderReference = "SO-1001", DateTimeOffset? at = null) =>
        Complaint.Receive(new ComplaintReference(2026, 123), customerId ?? Guid.NewGuid(), ComplaintChannel.Phone,
            ComplaintCategory.ProductQuality, ComplaintSeverity.High, "Kettle leaks after two days",
            IntakeContact.Create("Li Wei", "+86 138-0013-8000", "Electric kettle", orderReference, "1 Pickup Rd", "2 Delivery St"),
            Handler, at ?? Start);

    public static VentRecord Vent() =>
        VentRecord.Create("It leaked all over my counter!", ComplaintChannel.Phone, EmotionalState.Angry, "Leak at the base", Handler, Start.AddMinutes(5));

    public static ApologyRecord Apology() =>
        ApologyRecord.Create(true, true, "很抱歉我们让您感到失望了,谢谢您告诉我们", Handler, Start.AddMinutes(10));

    public static ProbeRecord Probe() => ProbeRecord.Create(new ProbeAnswers
    {
        WhatHappened = "Kettle leaks", Product = "Kettle K-200", DesiredResolution = "Replacement", ReturningCustomer = true,
    }, Handler, Start.AddMinutes(15));

    public static RemedyProposal Refund(decimal amount, string by = Handler, string currency = "CNY") =>
        RemedyProposal.Create(RemedyType.Refund, new Money(amount, currency), null, "Faulty on arrival", by, Start.AddMinutes(20));

    public static Complaint AtProbe()
    {
        var complaint = Received();
        complaint.RecordVent(Vent());
        complaint.RecordApology(Apology());
        return complaint;
    }

    public static Complaint AtPropose()
    {
        var complaint = AtProbe();
        complaint.RecordProbe(Probe());
        return complaint;
    }

    public static Complaint AtConfirm()
    {
        var complaint = AtPropose();
        complaint.ProposeRemedy(Refund(100m), HandlerRoles, Limits);
        return complaint;
    }

    public static Complaint AtApproval()
    {
        var complaint = AtPropose();
        complaint.ProposeRemedy(Refund(500m), HandlerRoles, Limits);
        return complaint;
    }

    public static Complaint AtAwaitFollowUp()
    {
        var complaint = AtConfirm();
        complaint.RecordCustomerResponse(CustomerConfirmation.Accept(Handler, Start.AddMinutes(30)));
        complaint.MarkRemedyDelivered(Start.AddHours(1), Start.AddDays(3));
        return complaint;
    }
}
