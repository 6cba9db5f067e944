using Xunit;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
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
