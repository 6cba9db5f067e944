using Microsoft.Extensions.DependencyInjection;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Xunit;

namespace Remediation.UnitTests.Portal.Complaints;

public sealed class ComplaintQueueTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private WorkflowUser handler = null!;
    private WorkflowUser other = null!;

    public async Task InitializeAsync()
    {
        host = await ComplaintHost.StartAsync();
        handler = await host.UserAsync("hana", Roles.Handler);
        other = await host.UserAsync("oscar", Roles.Handler);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<Page<QueueRow>> ListAsync(WorkflowUser user, QueueFilter? filter = null, int page = 1, int size = 25) =>
        host.WithAsync(sp => sp.GetRequiredService<ComplaintQueue>().ListAsync(user, filter ?? new QueueFilter(), page, size, default));

    [Fact]
    public async Task List_ShowsOwnAndUnassignedTasks_NotThoseHeldByOthers_OverdueFirst()
    {
        var (_, a) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: "13800000001", order: "A"));
        host.Clock.Advance(TimeSpan.FromHours(1));
        var (_, b) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: "13800000002", order: "B"));
        var (_, c) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: "13800000003", order: "C"));
        Assert.True((await host.Runtime.ClaimAsync((await host.OpenTaskAsync(c, ComplaintProcess.FormKeys.Vent)).Id, other)).IsOk);
        host.Clock.Advance(TimeSpan.FromHours(3.5)); // a's Vent (4 h) is overdue, b's is not yet

        var rows = (await ListAsync(handler)).Items;

        Assert.Equal([a, b], rows.Select(r => r.Reference));
        Assert.Equal(c, Assert.Single((await ListAsync(other, new QueueFilter(MineOnly: true))).Items).Reference);
    }

    [Fact]
    public async Task List_FiltersAndSearches_InTheDatabase_AndPages()
    {
        for (var i = 1; i <= 5; i++)
            await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: $"1380000000{i}", order: $"O{i}"));

        Assert.Single((await ListAsync(handler, new QueueFilter(Search: "13800000003"))).Items);
        Assert.Single((await ListAsync(handler, new QueueFilter(Search: "C-2026-000004"))).Items);
        Assert.Equal(5, (await ListAsync(handler, new QueueFilter(Search: "li lei"))).Items.Count);
        Assert.Empty((await ListAsync(handler, new QueueFilter(Channel: "Email"))).Items);
        Assert.Empty((await ListAsync(handler, new QueueFilter(VipTier: "Gold"))).Items);
        Assert.Empty((await ListAsync(handler, new QueueFilter(OverdueOnly: true))).Items);
        var first = await ListAsync(handler, page: 1, size: 2);
        var third = await ListAsync(handler, page: 3, size: 2);
        Assert.True(first.HasMore);
        Assert.False(third.HasMore);
        Assert.Single(third.Items);
    }

    [Fact]
    public async Task Search_FindsCasesByTheLastFourPhoneDigits_AWholeNumber_OrAReferencePrefix()
    {
        var (_, a) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: "13800004321", order: "A"));
        var (_, b) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: "13900001234", order: "B"));
        var (_, c) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake(phone: "+8613700001234", order: "C"));

        Assert.Equal([b, c], (await ListAsync(handler, new QueueFilter(Search: "1234"))).Items.Select(r => r.Reference).Order());
        Assert.Equal([c], (await ListAsync(handler, new QueueFilter(Search: "+86 137 0000 1234"))).Items.Select(r => r.Reference));
        Assert.Equal([a], (await ListAsync(handler, new QueueFilter(Search: "138-0000-4321"))).Items.Select(r => r.Reference));
        Assert.Empty((await ListAsync(handler, new QueueFilter(Search: "9999"))).Items);
        Assert.Equal(3, (await ListAsync(handler, new QueueFilter(Search: a[..^1]))).Items.Count);
        var firstOfTwo = await ListAsync(handler, new QueueFilter(Search: "1234"), page: 1, size: 1);
        Assert.True(firstOfTwo.HasMore);
        Assert.False((await ListAsync(handler, new QueueFilter(Search: "1234"), page: 2, size: 1)).HasMore);
    }
}
