using Xunit;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.Remedies;
using Remediation.UnitTests.Domain.Complaints;

namespace Remediation.UnitTests.Domain.Customers;

public class CustomerTests
{
    [Fact]
    public void Register_Throws_WhenEmailInvalid()
    {
        var error = Assert.Throws<DomainException>(() => Customer.Register("Li Wei", "13800138000", "li.wei@"));

        Assert.Equal(DomainRules.InvalidFormat, error.Rule);
        Assert.Contains("E-mail", error.Message);
    }

    [Fact]
    public void HistoryFrom_CountsOwnComplaintsAndDeliveredRemedies()
    {
        var customer = Customer.Register("Li Wei", "13800138000", "li.wei@example.com");
        var delivered = ComplaintScenario.AtAwaitFollowUp();
        var closed = ComplaintScenario.Received(customerId: customer.Id);
        var someoneElses = ComplaintScenario.Received();
        // The scenario's complaint belongs to a random customer; rebuild one for ours with the same steps.
        var ours = Complaint.Receive(delivered.Reference, customer.Id, delivered.Channel, delivered.Category, delivered.Severity,
            delivered.Summary, delivered.Contact, "h", ComplaintScenario.Start);
        ours.RecordVent(ComplaintScenario.Vent());
        ours.RecordApology(ComplaintScenario.Apology());
        ours.RecordProbe(ComplaintScenario.Probe());
        ours.ProposeRemedy(ComplaintScenario.Refund(100m), ComplaintScenario.HandlerRoles, ComplaintScenario.Limits);
        ours.RecordCustomerResponse(CustomerConfirmation.Accept("h", ComplaintScenario.Start.AddHours(1)));
        ours.MarkRemedyDelivered(ComplaintScenario.Start.AddHours(2), ComplaintScenario.Start.AddDays(3));

        var history = customer.HistoryFrom([ours, closed, someoneElses, delivered]);

        Assert.Equal(2, history.Complaints);
        Assert.Equal(2, history.OpenComplaints);
        var remedy = Assert.Single(history.RemediesDelivered);
        Assert.Equal(new Money(100m, "CNY"), remedy.Value);
        Assert.Equal(ComplaintScenario.Start.AddHours(2), remedy.DeliveredAt);
        Assert.Equal([new Money(100m, "CNY")], history.CompensationTotals);
        Assert.Empty(history.Satisfaction);
        Assert.Null(history.AverageSatisfaction);
    }

    [Fact]
    public void HistoryFrom_SumsCompensationPerCurrency_AndListsSatisfactionOverTime()
    {
        var customer = Customer.Register("Li Wei", "13800138000");
        Complaint Delivered(int hours, decimal amount, string currency, int? score)
        {
            var c = ComplaintScenario.Received(customer.Id, at: ComplaintScenario.Start.AddHours(hours));
            c.RecordVent(ComplaintScenario.Vent());
            c.RecordApology(ComplaintScenario.Apology());
            c.RecordProbe(ComplaintScenario.Probe());
            c.ProposeRemedy(ComplaintScenario.Refund(amount, currency: currency), ComplaintScenario.HandlerRoles,
                [AuthorityLimit.ForRole("Handler", new Money(10_000m, currency))]);
            c.RecordCustomerResponse(CustomerConfirmation.Accept("h", ComplaintScenario.Start.AddHours(hours + 1)));
            c.MarkRemedyDelivered(ComplaintScenario.Start.AddHours(hours + 2), ComplaintScenario.Start.AddHours(hours + 3));
            if (score is { } s) c.RecordFollowUp(FollowUpRecord.Create(FollowUpMethod.Phone, s, null, "h", ComplaintScenario.Start.AddHours(hours + 4)));
            return c;
        }

        var history = customer.HistoryFrom([Delivered(10, 50m, "CNY", 2), Delivered(1, 100m, "CNY", 5), Delivered(20, 30m, "EUR", null)]);

        Assert.Equal([new Money(150m, "CNY"), new Money(30m, "EUR")], history.CompensationTotals);
        Assert.Equal([5, 2], history.Satisfaction.Select(s => s.Score));
        Assert.Equal(3.5, history.AverageSatisfaction);
    }

    [Theory]
    [InlineData(PersonalityType.Dominant, "respected", "尊重")]
    [InlineData(PersonalityType.Analytical, "explain", "合理解释")]
    [InlineData(PersonalityType.SelfCentred, "apologise sincerely", "真诚道歉")]
    [InlineData(PersonalityType.Friendly, "best service", "最好的服务")]
    public void HintFor_GivesThePersonalityStrategy(PersonalityType personality, string english, string chinese)
    {
        var hint = CustomerStrategy.HintFor(personality, VipTier.None);

        Assert.Contains(english, hint.English);
        Assert.Contains(chinese, hint.Chinese);
        Assert.DoesNotContain("VIP", hint.English);
    }

    [Fact]
    public void HintFor_AddsVipTreatment()
    {
        var hint = CustomerStrategy.HintFor(null, VipTier.Diamond);

        Assert.Contains("Diamond VIP", hint.English);
        Assert.Contains("钻石卡", hint.Chinese);
    }
}
