using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.Remedies;
using Remediation.Portal.Data;
using Xunit;

namespace Remediation.UnitTests.Portal.Data;

/// <summary>The domain mappings against a real, migrated SQLite file: what is saved comes back whole.</summary>
public sealed class ComplaintMappingTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly string[] HandlerRoles = ["Handler"];
    private readonly string _folder = Directory.CreateTempSubdirectory("remediation-mapping-").FullName;
    private readonly string _connectionString;

    public ComplaintMappingTests()
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "test.db"), Pooling = false }.ToString();
        using var db = NewContext();
        db.Database.Migrate();
    }

    private SqliteRemediationDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteRemediationDbContext>().UseSqlite(_connectionString).Options);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Guid SaveNewComplaint(Customer customer, int sequence, string order = "SO-1001", DateTimeOffset? at = null)
    {
        using var db = NewContext();
        if (db.Set<Customer>().Find(customer.Id) is null) db.Add(customer);
        var complaint = Complaint.Receive(new ComplaintReference(2026, sequence), customer.Id, ComplaintChannel.Phone,
            ComplaintCategory.ProductQuality, ComplaintSeverity.High, "Kettle leaks after two days",
            IntakeContact.Create("Li Wei", "+86 138-0013-8000", "Electric kettle", order, "1 Pickup Rd", "2 Delivery St"),
            "handler-1", at ?? Start);
        db.Add(complaint);
        db.SaveChanges();
        return complaint.Id;
    }

    private void Change(Guid complaintId, Action<Complaint> act)
    {
        using var db = NewContext();
        var complaint = db.Set<Complaint>().Single(c => c.Id == complaintId);
        act(complaint);
        db.SaveChanges();
    }

    [Fact]
    public void Complaint_RoundTrips_WithEveryStepRecord()
    {
        var customer = Customer.Register("Li Wei", "13800138000", "li.wei@example.com");
        customer.UpdateProfile(PersonalityType.Dominant, BuyingBehaviour.Haggler, ValueClass.Gold);
        customer.ChangeVipTier(VipTier.Gold);
        var limits = new[] { AuthorityLimit.ForRole("Handler", new Money(200m, "CNY")), AuthorityLimit.ForUser("handler-1", new Money(150m, "CNY")) };
        using (var db = NewContext())
        {
            db.AddRange(limits);
            db.SaveChanges();
        }
        var id = SaveNewComplaint(customer, 123);

        Change(id, c =>
        {
            c.MarkOverdue(Start.AddHours(5));
            c.RecordVent(VentRecord.Create("It leaked all over my counter!", ComplaintChannel.Phone, EmotionalState.Angry, "Leak at base", "handler-1", Start.AddMinutes(5)));
            c.RecordApology(ApologyRecord.Create(true, true, "很抱歉我们让您感到失望了", "handler-1", Start.AddMinutes(10)));
            c.RecordProbe(ProbeRecord.Create(new ProbeAnswers
            {
                WhatHappened = "Leak", HowItHappened = "Seal", Product = "Kettle K-200", WhyDissatisfied = "Mess",
                RepresentativeInvolved = "Wang", OtherCauses = "Late delivery", CustomerIsReasonable = true,
                DesiredResolution = "Refund", ReturningCustomer = false,
            }, "handler-1", Start.AddMinutes(15)));
            Assert.False(c.ProposeRemedy(RemedyProposal.Create(RemedyType.Compensation, new Money(300m, "CNY"), CompensationMethod.Coupon,
                "Damaged counter", "handler-1", Start.AddMinutes(20)), HandlerRoles, limits));
        });
        Change(id, c =>
        {
            c.RecordApproval(CompensationApproval.Reject("approver-1", "Counter damage not proven", Start.AddHours(1)));
            c.ProposeRemedy(RemedyProposal.Create(RemedyType.Refund, new Money(99.90m, "CNY"), null, "Faulty", "handler-1", Start.AddHours(2)), HandlerRoles, limits);
            c.RecordCustomerResponse(CustomerConfirmation.Reject("Wants a new kettle too", "handler-1", Start.AddHours(3)));
            c.ProposeRemedy(RemedyProposal.Create(RemedyType.Replace, null, null, "Faulty seal", "handler-1", Start.AddHours(4)), HandlerRoles, limits);
            c.RecordCustomerResponse(CustomerConfirmation.Accept("handler-1", Start.AddHours(5)));
            c.MarkRemedyDelivered(Start.AddDays(1), Start.AddDays(4));
            c.MarkCallbackDue();
            c.RecordFollowUp(FollowUpRecord.Create(FollowUpMethod.Phone, 2, "New kettle leaks too", "handler-1", Start.AddDays(4)));
        });

        using var read = NewContext();
        var complaint = read.Set<Complaint>().Single(c => c.Id == id);
        var savedCustomer = read.Set<Customer>().Single(c => c.Id == customer.Id);

        Assert.Equal("C-2026-000123", complaint.Reference.ToString());
        Assert.Equal(customer.Id, complaint.CustomerId);
        Assert.Equal((ComplaintStatus.Open, ComplaintStep.Probe, 1), (complaint.Status, complaint.Step, complaint.ReopenCount));
        Assert.False(complaint.IsOverdue);
        Assert.Equal(Start, complaint.CreatedAt);
        Assert.Equal(IntakeContact.Create("Li Wei", "+8613800138000", "Electric kettle", "SO-1001", "1 Pickup Rd", "2 Delivery St"), complaint.Contact);

        var vent = Assert.Single(complaint.Vents);
        Assert.Equal(("It leaked all over my counter!", EmotionalState.Angry, "Leak at base", Start.AddMinutes(5)),
            (vent.Account, vent.EmotionalState, vent.FactsNoted, vent.RecordedAt));
        Assert.Equal("很抱歉我们让您感到失望了", Assert.Single(complaint.Apologies).WordsUsed);
        var probe = Assert.Single(complaint.Probes);
        Assert.Equal(new ProbeAnswers
        {
            WhatHappened = "Leak", HowItHappened = "Seal", Product = "Kettle K-200", WhyDissatisfied = "Mess",
            RepresentativeInvolved = "Wang", OtherCauses = "Late delivery", CustomerIsReasonable = true,
            DesiredResolution = "Refund", ReturningCustomer = false,
        }, probe.Answers);

        var proposals = complaint.Proposals.OrderBy(p => p.Number).ToList();
        Assert.Equal([1, 2, 3], proposals.Select(p => p.Number));
        Assert.Same(proposals[2], complaint.CurrentProposal);
        Assert.Equal([RemedyType.Compensation, RemedyType.Refund, RemedyType.Replace], proposals.Select(p => p.Type));
        Assert.Equal(ApprovalState.Rejected, proposals[0].ApprovalState);
        Assert.Equal(CompensationMethod.Coupon, proposals[0].CompensationMethod);
        Assert.Equal(new Money(300m, "CNY"), proposals[0].Value);
        Assert.Equal(("approver-1", false, "Counter damage not proven", Start.AddHours(1)),
            (proposals[0].Approval!.ApproverUserId, proposals[0].Approval!.Approved, proposals[0].Approval!.Reason, proposals[0].Approval!.DecidedAt));
        Assert.Equal(new Money(99.90m, "CNY"), proposals[1].Value);
        Assert.Null(proposals[1].Approval);
        Assert.Equal(ApprovalState.NotRequired, proposals[2].ApprovalState);
        Assert.Equal(Start.AddDays(1), proposals[2].DeliveredAt);

        Assert.Equal(1, complaint.Rejections);
        var confirmations = complaint.Confirmations.OrderBy(c => c.RecordedAt).ToList();
        Assert.Equal((proposals[1].Id, false, "Wants a new kettle too"), (confirmations[0].ProposalId, confirmations[0].Accepted, confirmations[0].Reason));
        Assert.Equal((proposals[2].Id, true), (confirmations[1].ProposalId, confirmations[1].Accepted));
        var followUp = Assert.Single(complaint.FollowUps);
        Assert.Equal((FollowUpMethod.Phone, 2, "New kettle leaks too"), (followUp.Method, followUp.Satisfaction, followUp.Comment));

        Assert.Equal((PersonalityType.Dominant, BuyingBehaviour.Haggler, ValueClass.Gold, VipTier.Gold, "+8613800138000"),
            (savedCustomer.Personality, savedCustomer.BuyingBehaviour, savedCustomer.ValueClass, savedCustomer.VipTier, savedCustomer.Phone.Value));
        Assert.Equal(2, read.Set<AuthorityLimit>().Count());
        Assert.Equal(complaint.Version, read.Set<Complaint>().AsNoTracking().Single().Version);
    }

    [Fact]
    public void WorkOrder_RoundTrips_AndClosesOnResolution()
    {
        var customer = Customer.Register("Li Wei", "13800138000");
        var id = SaveNewComplaint(customer, 7);
        Change(id, c => c.HandToSupervisor("handler-1", "Threatens legal action", Start.AddHours(1)));

        using (var db = NewContext())
        {
            var open = db.Set<WorkOrder>().Where(w => w.ResolvedAt == null).ToList();
            var workOrder = Assert.Single(open);
            Assert.Equal(("Li Wei", "+8613800138000", "Kettle leaks after two days", WorkOrderTrigger.HandedUp, "handler-1", "Threatens legal action"),
                (workOrder.CustomerName, workOrder.CustomerPhone.Value, workOrder.ComplaintContent, workOrder.Trigger, workOrder.HandedUpBy, workOrder.Reason));
        }
        Change(id, c => c.ResolveWorkOrder("supervisor-1", new WorkOrderResolution("Replacement agreed", ContactChannel.Chat, Start.AddHours(5), "Sent the replacement details", Start.AddDays(3)), Start.AddHours(6)));

        using var read = NewContext();
        var complaint = read.Set<Complaint>().Single(c => c.Id == id);
        Assert.Equal((ComplaintStatus.Closed, Start.AddHours(6)), (complaint.Status, complaint.ClosedAt));
        Assert.Equal("Replacement agreed", complaint.WorkOrder!.Resolution);
        Assert.Equal((ContactChannel.Chat, Start.AddHours(5), "Sent the replacement details", Start.AddDays(3)),
            (complaint.WorkOrder.ContactChannel, complaint.WorkOrder.ContactedAt, complaint.WorkOrder.ContactSummary, complaint.WorkOrder.FollowUpAt));
    }

    [Fact]
    public void SaveChanges_Throws_WhenComplaintChangedConcurrently()
    {
        var id = SaveNewComplaint(Customer.Register("Li Wei", "13800138000"), 1);
        using var first = NewContext();
        using var second = NewContext();
        var a = first.Set<Complaint>().Single(c => c.Id == id);
        var b = second.Set<Complaint>().Single(c => c.Id == id);

        a.RecordVent(VentRecord.Create("First handler", ComplaintChannel.Phone, EmotionalState.Calm, null, "handler-1", Start));
        first.SaveChanges();
        b.RecordVent(VentRecord.Create("Second handler", ComplaintChannel.Phone, EmotionalState.Calm, null, "handler-2", Start));

        Assert.Throws<DbUpdateConcurrencyException>(() => second.SaveChanges());
    }

    [Fact]
    public void QueueQueries_FilterAndSortByTime_OnSqlite()
    {
        var customer = Customer.Register("Li Wei", "13800138000");
        SaveNewComplaint(customer, 1, at: Start);
        SaveNewComplaint(customer, 2, at: Start.AddDays(6));
        SaveNewComplaint(customer, 3, order: "SO-2002", at: Start.AddDays(2));
        var phone = PhoneNumber.Parse("+86 138 0013 8000");
        var now = Start.AddDays(8);

        using var db = NewContext();
        var since = now - Complaint.DuplicateWindow;
        var duplicates = db.Set<Complaint>().AsNoTracking()
            .Where(c => c.Contact.Phone == phone && c.Contact.OrderReference == "SO-1001" && c.CreatedAt >= since)
            .Select(c => c.Reference).ToList();
        var queue = db.Set<Complaint>().AsNoTracking()
            .Where(c => c.Status == ComplaintStatus.Open && c.Step == ComplaintStep.Vent)
            .OrderBy(c => c.CreatedAt).Select(c => c.Reference).ToList();

        Assert.Equal(["C-2026-000002"], duplicates.Select(r => r.ToString()));
        Assert.Equal(["C-2026-000001", "C-2026-000003", "C-2026-000002"], queue.Select(r => r.ToString()));
    }
}
