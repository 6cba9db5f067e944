using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Domain.Complaints;
using Remediation.Portal.Cli;
using Remediation.Portal.Data;
using Remediation.UnitTests.Portal.Complaints;
using Remediation.Workflows.Persistence;
using Xunit;
using Keys = Remediation.Portal.Complaints.ComplaintProcess.FormKeys;

namespace Remediation.UnitTests.Portal.Cli;

public sealed class ComplaintSeederTests
{
    private static readonly Dictionary<ComplaintStep, string> FormKeyOf = new()
    {
        [ComplaintStep.Vent] = Keys.Vent, [ComplaintStep.Apologise] = Keys.Apologise,
        [ComplaintStep.Probe] = Keys.Probe, [ComplaintStep.Propose] = Keys.Propose,
    };

    [Fact]
    public async Task Seed_GivesEveryComplaintARunningInstanceWaitingAtItsStep()
    {
        await using var host = await ComplaintHost.StartAsync();
        await host.UserAsync("handler", Roles.Handler);

        Assert.Equal(60, await ComplaintSeeder.SeedAsync(host.Services, 60, host.Clock.GetUtcNow(), TextWriter.Null));

        var (complaints, instances, open) = await host.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<RemediationDbContext>();
            return (await db.Set<Complaint>().AsNoTracking().ToListAsync(),
                await db.Set<WorkflowInstance>().AsNoTracking().ToListAsync(),
                await db.Set<WorkItem>().AsNoTracking().Where(w => w.Status == WorkItemStatus.Open).ToListAsync());
        });
        Assert.Equal(60, complaints.Count);
        Assert.Equal(60, complaints.Select(c => c.Reference).Distinct().Count());
        Assert.True(complaints.Select(c => c.Step).Distinct().Count() > 1, "the seed should spread complaints over several steps");
        foreach (var complaint in complaints)
        {
            var key = complaint.Reference.ToString();
            var instance = Assert.Single(instances, i => i.BusinessKey == key);
            Assert.Equal(InstanceStatus.Running, instance.Status);
            Assert.Equal(FormKeyOf[complaint.Step], Assert.Single(open, w => w.BusinessKey == key && w.FormKey != Keys.Escalation).FormKey);
            // Overdue complaints carry the escalation the SLA timer would have raised, and only those.
            Assert.Equal(complaint.IsOverdue, open.Any(w => w.BusinessKey == key && w.FormKey == Keys.Escalation));
        }
    }

    [Fact]
    public async Task SeededStep_CanBeCompletedThroughTheEngine()
    {
        await using var host = await ComplaintHost.StartAsync();
        var handler = await host.UserAsync("handler", Roles.Handler);
        await ComplaintSeeder.SeedAsync(host.Services, 30, host.Clock.GetUtcNow(), TextWriter.Null);
        var complaint = await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Complaint>().AsNoTracking()
            .FirstAsync(c => c.Step == ComplaintStep.Vent));
        var reference = complaint.Reference.ToString();

        var result = await host.CompleteAsync(complaint.Id, reference, Keys.Vent, handler, c =>
        {
            c.RecordVent(VentRecord.Create("It arrived broken.", c.Channel, EmotionalState.Upset, null, handler.Id, host.Clock.GetUtcNow()));
            return new Dictionary<string, object?>();
        });

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(ComplaintStep.Apologise, (await host.ComplaintAsync(complaint.Id)).Step);
        Assert.Contains(await host.OpenTasksAsync(reference), w => w.FormKey == Keys.Apologise);
    }
}
