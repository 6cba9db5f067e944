using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Xunit;

namespace Remediation.UnitTests.Portal.Complaints;

/// <summary>Messages no e-mail or text can carry become calls for a handler (<see cref="CustomerMessages"/>, <see cref="CustomerCalls"/>).</summary>
public sealed class CustomerCallsTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private WorkflowUser handler = null!;

    public async Task InitializeAsync()
    {
        host = await ComplaintHost.StartAsync();
        handler = await host.UserAsync("hana", Roles.Handler);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<List<CustomerCall>> CallsAsync() =>
        host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<CustomerCall>().AsNoTracking().ToListAsync());

    [Fact]
    public async Task Acknowledgement_ToALandlineWithoutEmail_BecomesOneCallToMake()
    {
        var (id, reference) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake("010 6552 9988"));
        await host.RunOutboxAsync();

        var call = Assert.Single(await CallsAsync());
        Assert.Equal((id, reference, "+861065529988"), (call.ComplaintId, call.Reference, call.Phone));
        Assert.Contains(reference, call.Message);
        Assert.Null(call.CompletedAt);
        Assert.Empty(await host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<SentNotification>().AsNoTracking().ToListAsync()));
    }

    [Fact]
    public async Task Acknowledgement_ToAMobile_GoesByText_NotACall()
    {
        await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake("139 0000 1111"));

        Assert.Empty(await CallsAsync());
    }

    [Fact]
    public async Task Complete_NeedsAnOutcomeAndANote_ThenRecordsOnce_Audited()
    {
        var (_, reference) = await host.ReceiveAsync(handler, ComplaintHost.PhoneIntake("010 6552 9988"));
        var call = Assert.Single(await CallsAsync());
        Task<(CallResult Result, string? Message, CustomerCall? Call)> CompleteAsync(CallOutcome? outcome, string? note) =>
            host.WithAsync(sp => sp.GetRequiredService<CustomerCalls>().CompleteAsync(call.Id, outcome, note, handler.Id, "hana", default));

        var noOutcome = await CompleteAsync(null, "Rang twice");
        var noNote = await CompleteAsync(CallOutcome.NotReached, " ");
        var done = await CompleteAsync(CallOutcome.Reached, "Read the acknowledgement; the customer thanked us.");
        var again = await CompleteAsync(CallOutcome.NotReached, "Again");

        Assert.Equal((CallResult.Invalid, "Choose whether the customer was reached."), (noOutcome.Result, noOutcome.Message));
        Assert.Equal((CallResult.Invalid, "Note is required."), (noNote.Result, noNote.Message));
        Assert.Equal(CallResult.Recorded, done.Result);
        Assert.Equal(CallResult.AlreadyRecorded, again.Result);
        var stored = Assert.Single(await CallsAsync());
        Assert.Equal((CallOutcome.Reached, "Read the acknowledgement; the customer thanked us.", handler.Id), (stored.Outcome, stored.Note, stored.CompletedBy));
        Assert.Single(await host.AuditAsync(), e => e.Event == AuditEvents.CustomerCallCompleted && e.CaseReference == reference);
    }
}
