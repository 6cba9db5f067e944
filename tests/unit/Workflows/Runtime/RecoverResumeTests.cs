using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>Given instances waiting in every kind of wait state, When the process restarts (a new service provider over the same SQLite file), Then each continues.</summary>
public sealed class RecoverResumeTests
{
    [Fact]
    public async Task SecondEngine_ContinuesEveryKindOfWaitingInstance()
    {
        var clock = new TestClock();
        Guid userTask, timer, interrupting, nonInterrupting, message, service, parent, parallel, inclusive;
        string folder;
        await using (var first = new WorkflowTestHost(clock: clock) { KeepFolder = true })
        {
            folder = first.Folder;
            await first.PublishAsync("sequence.bpmn", "timer.bpmn", "boundary-interrupting.bpmn", "boundary-noninterrupting.bpmn", "message.bpmn",
                "service.bpmn", "call-child.bpmn", "call-parent.bpmn", "parallel.bpmn", "inclusive.bpmn");
            userTask = await first.StartAsync("sequence");
            timer = await first.StartAsync("timer");
            interrupting = await first.StartAsync("boundary-interrupting");
            nonInterrupting = await first.StartAsync("boundary-noninterrupting");
            message = await first.StartAsync("message", businessKey: "case-m");
            service = await first.StartAsync("service");
            parent = await first.StartAsync("call-parent");
            parallel = await first.StartAsync("parallel");
            await first.CompleteAsync(parallel, "Refund");
            inclusive = await first.StartAsync("inclusive", new { refund = true, voucher = true });
            await first.CompleteAsync(inclusive, "Refund");
        }

        await using var second = new WorkflowTestHost(folder, clock);
        await second.CompleteAsync(userTask, "Review");
        Assert.Equal(["Close"], await second.ActiveAsync(userTask));

        clock.Advance(TimeSpan.FromHours(4));
        await second.FireDueTimersAsync(clock);
        Assert.Equal(["Callback"], await second.ActiveAsync(timer));
        Assert.Equal(["Escalate"], await second.ActiveAsync(interrupting));
        Assert.Equal(new[] { "Remind", "Respond" }, (await second.ActiveAsync(nonInterrupting)).Order().ToArray());

        await second.Runtime.CorrelateMessageAsync("payment-received", "case-m");
        Assert.Equal(["Confirm"], await second.ActiveAsync(message));

        var entry = await second.QueryAsync(db => db.Set<OutboxEntry>().SingleAsync(o => o.InstanceId == service));
        await second.Services.GetRequiredService<OutboxProcessor>().ProcessAsync(entry.Id);
        Assert.Equal(["Review"], await second.ActiveAsync(service));

        var child = await second.QueryAsync(db => db.Set<WorkflowInstance>().SingleAsync(i => i.ParentInstanceId == parent));
        await second.CompleteAsync(child.Id, "Approve", variables: new { approved = true });
        Assert.Equal(["Pay"], await second.ActiveAsync(parent));

        await second.CompleteAsync(parallel, "Apologise");
        Assert.Equal(["FollowUp"], await second.ActiveAsync(parallel));

        await second.CompleteAsync(inclusive, "Voucher");
        Assert.Equal(["Close"], await second.ActiveAsync(inclusive));
    }
}
