using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Domain.Complaints;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Xunit;

namespace Remediation.UnitTests.Portal.Complaints;

public sealed class ComplaintIntakeTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private WorkflowUser handler = null!;

    public async Task InitializeAsync()
    {
        host = await ComplaintHost.StartAsync();
        handler = await host.UserAsync("hana", Roles.Handler);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<IntakeResult> ReceiveAsync(IntakeRequest request, bool allowDuplicate = false) =>
        host.WithAsync(sp => sp.GetRequiredService<ComplaintIntake>().ReceiveAsync(request, handler.Id, allowDuplicate, default));

    private Task<int> CountAsync() => host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Complaint>().CountAsync());

    [Theory]
    [InlineData(nameof(IntakeRequest.ContactName), "")]
    [InlineData(nameof(IntakeRequest.Phone), "")]
    [InlineData(nameof(IntakeRequest.Phone), "call me maybe")]
    [InlineData(nameof(IntakeRequest.Email), "not-an-address")]
    [InlineData(nameof(IntakeRequest.Account), "   ")]
    [InlineData(nameof(IntakeRequest.OrderReference), "this-order-reference-is-far-too-long-to-be-a-real-order-reference-at-all")]
    public async Task Receive_RefusesTheField_AndSavesNothing_WhenItIsInvalid(string field, string value)
    {
        var request = ComplaintHost.PhoneIntake();
        typeof(IntakeRequest).GetProperty(field)!.SetValue(request, value);

        var result = await ReceiveAsync(request);

        Assert.Equal(IntakeOutcome.Invalid, result.Outcome);
        Assert.Equal(field, Assert.Single(result.Errors!).Field);
        Assert.Equal(0, await CountAsync());
        Assert.Empty(await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Remediation.Workflows.Persistence.WorkflowInstance>().ToListAsync()));
    }

    [Theory]
    [InlineData(nameof(IntakeRequest.ContactName), "Li\0Wei")]
    [InlineData(nameof(IntakeRequest.Phone), "138\u00070013")]
    [InlineData(nameof(IntakeRequest.OrderReference), "ORD\n7")]
    [InlineData(nameof(IntakeRequest.Account), "It broke\u001b[2J")]
    public async Task Receive_RefusesControlCharacters_InTheField_AndSavesNothing(string field, string value)
    {
        var request = ComplaintHost.PhoneIntake();
        typeof(IntakeRequest).GetProperty(field)!.SetValue(request, value);

        var result = await ReceiveAsync(request);

        var error = Assert.Single(result.Errors!);
        Assert.Equal(field, error.Field);
        Assert.Equal(Remediation.Domain.DomainMessages.ControlCharacters, error.Message);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Receive_KeepsLineBreaksAndTabs_InTheAccount()
    {
        var request = ComplaintHost.PhoneIntake();
        request.Account = "First it broke.\r\n\tThen the courier was rude.";

        Assert.Equal(IntakeOutcome.Created, (await ReceiveAsync(request)).Outcome);
    }

    [Fact]
    public async Task Receive_ContinuesAfterTheHighestStoredReference_WhenRowsWereWrittenWithoutTheCounter()
    {
        var first = await ReceiveAsync(ComplaintHost.PhoneIntake(order: "A"));
        // As the sample seeder does: a complaint row written directly, with a later number.
        await host.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<RemediationDbContext>();
            var year = host.Clock.GetUtcNow().UtcDateTime.Year;
            return await db.Database.ExecuteSqlAsync($"UPDATE \"Complaints\" SET \"Reference\" = {$"C-{year}-000041"} WHERE \"Reference\" = {first.Reference}");
        });

        var next = await ReceiveAsync(ComplaintHost.PhoneIntake(order: "B"));

        Assert.EndsWith("-000042", next.Reference);
    }

    [Fact]
    public async Task Receive_RefusesAnUndefinedChannel()
    {
        var request = ComplaintHost.PhoneIntake();
        request.Channel = (ComplaintChannel)42;

        var result = await ReceiveAsync(request);

        Assert.Equal(nameof(IntakeRequest.Channel), Assert.Single(result.Errors!).Field);
    }

    [Theory]
    [InlineData("wang.fang@example.com", true)]
    [InlineData("not-an-address", false)]
    public async Task Receive_ChecksTheEmailAddress_ForWhatItIs(string email, bool valid)
    {
        var request = ComplaintHost.PhoneIntake();
        request.Email = email;

        var result = await ReceiveAsync(request);

        Assert.Equal(valid ? IntakeOutcome.Created : IntakeOutcome.Invalid, result.Outcome);
        if (!valid) Assert.Equal(nameof(IntakeRequest.Email), Assert.Single(result.Errors!).Field);
    }

    [Fact]
    public async Task Receive_OffersTheEarlierComplaint_WhenSamePhoneAndOrderWithinSevenDays()
    {
        var first = await ReceiveAsync(ComplaintHost.PhoneIntake(phone: "+86 138-0013-8000", order: "ORD-9"));
        host.Clock.Advance(TimeSpan.FromDays(6));

        var second = await ReceiveAsync(ComplaintHost.PhoneIntake(phone: "+8613800138000", order: "ORD-9"));

        Assert.Equal(IntakeOutcome.PossibleDuplicate, second.Outcome);
        Assert.Equal(first.Reference, Assert.Single(second.Duplicates!).Reference);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task Receive_CreatesAnyway_WhenTheHandlerChoosesTo()
    {
        await ReceiveAsync(ComplaintHost.PhoneIntake(order: "ORD-9"));

        var second = await ReceiveAsync(ComplaintHost.PhoneIntake(order: "ORD-9"), allowDuplicate: true);

        Assert.Equal(IntakeOutcome.Created, second.Outcome);
        Assert.Equal(2, await CountAsync());
    }

    [Theory]
    [InlineData("13800138000", "ORD-9", 8)]
    [InlineData("13900000000", "ORD-9", 1)]
    [InlineData("13800138000", "ORD-10", 1)]
    public async Task Receive_DoesNotOfferADuplicate_WhenPhoneOrderOrWindowDiffer(string phone, string order, int daysLater)
    {
        await ReceiveAsync(ComplaintHost.PhoneIntake(phone: "13800138000", order: "ORD-9"));
        host.Clock.Advance(TimeSpan.FromDays(daysLater));

        var second = await ReceiveAsync(ComplaintHost.PhoneIntake(phone: phone, order: order));

        Assert.Equal(IntakeOutcome.Created, second.Outcome);
    }

    [Fact]
    public async Task Receive_NumbersComplaintsInSequence_AndReusesTheCustomerByPhone()
    {
        var first = await ReceiveAsync(ComplaintHost.PhoneIntake(order: "A"));
        var second = await ReceiveAsync(ComplaintHost.PhoneIntake(order: "B"));

        Assert.Equal("C-2026-000001", first.Reference);
        Assert.Equal("C-2026-000002", second.Reference);
        Assert.Equal(1, await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Remediation.Domain.Customers.Customer>().CountAsync()));
    }
}
