using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Domain;
using Remediation.Domain.Payments;
using Remediation.Portal.Data;
using Remediation.Portal.Payments;
using Remediation.UnitTests.Portal.Complaints;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Xunit;

namespace Remediation.UnitTests.Portal.Payments;

/// <summary>
/// The payment path with the real pieces: the shipped handler and confirmation service, the development gateway and its
/// failure switches, the engine's outbox with its backoff and incidents, over a real SQLite file (<see cref="ComplaintHost"/>).
/// The process is <c>Fixtures/pay.bpmn</c>: payment.request, then wait for payment-confirmed.
/// </summary>
public sealed class PaymentTests : IAsyncLifetime
{
    private ComplaintHost host = null!;
    private readonly Guid customerId = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        host = await ComplaintHost.StartAsync(outboxMaxAttempts: 3);
        var definitions = host.Services.GetRequiredService<IWorkflowDefinitions>();
        Assert.True((await definitions.SaveDraftAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Portal", "Payments", "Fixtures", "pay.bpmn")))).IsOk);
        var published = await definitions.PublishAsync("pay");
        Assert.True(published.IsOk, published.Message + string.Join("; ", published.Problems));
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static string Key(string name) => $"complaint-proposal:{name}";

    /// <summary>Starts the process for a payment of CNY 300 by Alipay under <paramref name="key"/>; runs the outbox once.</summary>
    private async Task<Guid> StartAsync(string key, string caseKey = "case-1")
    {
        var request = new PaymentRequest(key, new Money(300m, "CNY"), PaymentChannel.Alipay, customerId, "Review R-1: cash");
        var started = await host.Runtime.StartAsync(new StartProcess("pay", caseKey, request.ToVariables(), caseKey));
        Assert.True(started.IsOk, started.Message);
        await host.RunOutboxAsync();
        return started.Value;
    }

    /// <summary>Waits out the outbox's backoff (2 s, then 4 s, …) and runs whatever is due.</summary>
    private Task BackoffAsync(int attempt) => host.AdvanceAsync(TimeSpan.FromSeconds(2 * Math.Pow(2, attempt - 1)) + TimeSpan.FromMilliseconds(10));

    private Task<List<Payment>> PaymentsAsync() =>
        host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<Payment>().AsNoTracking().ToListAsync());

    private Task<List<DevelopmentGatewayInstruction>> InstructionsAsync() =>
        host.WithAsync(sp => sp.GetRequiredService<RemediationDbContext>().Set<DevelopmentGatewayInstruction>().AsNoTracking().ToListAsync());

    private async Task<IReadOnlyList<string>> WhereAsync(Guid instanceId) => (await host.Runtime.GetInstanceAsync(instanceId))!.ActiveElementIds;

    private Task<ConfirmationOutcome> ReportAsync(PaymentOutcome outcome) =>
        host.WithAsync(sp => sp.GetRequiredService<PaymentConfirmations>().RecordAsync(outcome, "test-gateway", default));

    [Fact]
    public async Task GatewayTimesOutAfterTakingTheInstruction_TheRetryGetsTheSameInstruction_AndTheCustomerIsPaidOnce()
    {
        host.Gateway.TimeoutAfterSuccess = 1;

        var instance = await StartAsync(Key("timeout"));
        var first = Assert.Single(await PaymentsAsync());
        Assert.Equal((PaymentStatus.Requested, 1), (first.Status, first.Attempts));
        await BackoffAsync(1);

        var payment = Assert.Single(await PaymentsAsync());
        var instruction = Assert.Single(await InstructionsAsync());
        Assert.Equal((PaymentStatus.Sent, 2, instruction.Reference), (payment.Status, payment.Attempts, payment.GatewayReference));
        Assert.Equal((1, 300m, "CNY", PaymentChannel.Alipay), (instruction.Repeats, instruction.Amount, instruction.Currency, instruction.Channel));
        Assert.Equal(["WaitConfirmed"], await WhereAsync(instance));

        Assert.Equal(1, await host.ConfirmPaymentsAsync());
        Assert.Equal(["Paid"], await WhereAsync(instance));
        Assert.Equal(PaymentStatus.Confirmed, Assert.Single(await PaymentsAsync()).Status);
    }

    [Fact]
    public async Task GatewayAnswers500Twice_ThenTakesIt_OnePaymentAndOneInstruction()
    {
        host.Gateway.FailFirst = 2;

        var instance = await StartAsync(Key("fail-twice"));
        await BackoffAsync(1);
        Assert.Equal((PaymentStatus.Requested, 2), Assert.Single(await PaymentsAsync()) is var p ? (p.Status, p.Attempts) : default);
        await BackoffAsync(2);

        var payment = Assert.Single(await PaymentsAsync());
        Assert.Equal((PaymentStatus.Sent, 3), (payment.Status, payment.Attempts));
        Assert.Equal(0, Assert.Single(await InstructionsAsync()).Repeats);
        Assert.Equal(["WaitConfirmed"], await WhereAsync(instance));
        Assert.Empty((await host.Runtime.GetInstanceAsync(instance))!.OpenIncidents);
    }

    [Fact]
    public async Task GatewayDown_RaisesAnIncidentAfterTheRetries_AndRetryingItAfterTheFixPaysOnce()
    {
        host.Gateway.AlwaysFail = true;

        var instance = await StartAsync(Key("down"));
        await BackoffAsync(1);
        await BackoffAsync(2);

        var incident = Assert.Single((await host.Runtime.GetInstanceAsync(instance))!.OpenIncidents);
        Assert.Equal(("RequestPayment", IncidentKind.HandlerFailed), (incident.ElementId, incident.Kind));
        Assert.Contains("500", incident.Message);
        var unpaid = Assert.Single(await PaymentsAsync());
        Assert.Equal((PaymentStatus.Requested, 3), (unpaid.Status, unpaid.Attempts));
        Assert.Empty(await InstructionsAsync());

        // Nothing more happens on its own, however long one waits.
        await host.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(3, Assert.Single(await PaymentsAsync()).Attempts);

        host.Gateway.AlwaysFail = false;
        Assert.True((await host.Runtime.RetryIncidentAsync(incident.Id, "admin")).IsOk);
        await host.RunOutboxAsync();
        // A second retry of the same (now resolved) incident changes nothing.
        await host.Runtime.RetryIncidentAsync(incident.Id, "admin");
        await host.RunOutboxAsync();

        var paid = Assert.Single(await PaymentsAsync());
        Assert.Equal((PaymentStatus.Sent, 4), (paid.Status, paid.Attempts));
        Assert.Single(await InstructionsAsync());
        Assert.Equal(["WaitConfirmed"], await WhereAsync(instance));
        Assert.Empty((await host.Runtime.GetInstanceAsync(instance))!.OpenIncidents);
    }

    [Fact]
    public async Task ConfirmationTwice_MovesTheProcessOnce_AndChangesNothingTheSecondTime()
    {
        var instance = await StartAsync(Key("twice"));
        var reference = Assert.Single(await InstructionsAsync()).Reference;

        var first = await ReportAsync(new PaymentOutcome(Key("twice"), true, reference, null));
        var confirmedAt = Assert.Single(await PaymentsAsync()).ConfirmedAt;
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await ReportAsync(new PaymentOutcome(Key("twice"), true, reference, null));

        Assert.Equal((ConfirmationResult.Recorded, true), (first.Result, first.ProcessNotified));
        Assert.Equal((ConfirmationResult.AlreadyRecorded, true), (second.Result, second.ProcessNotified));
        Assert.Equal(confirmedAt, Assert.Single(await PaymentsAsync()).ConfirmedAt);
        Assert.Equal(["Paid"], await WhereAsync(instance));
        var journal = await host.Runtime.GetJournalAsync(instance);
        Assert.Single(journal, j => j.ElementId == "WaitConfirmed" && j.Kind == JournalKind.Completed);
        Assert.Single(await host.AuditAsync(), a => a.Event == AuditEvents.PaymentConfirmed);
    }

    [Fact]
    public async Task ConfirmationsAtTheSameMoment_MoveTheProcessOnce()
    {
        var instance = await StartAsync(Key("race"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ReportAsync(new PaymentOutcome(Key("race"), true, null, null))));

        Assert.Single(outcomes, o => o.Result == ConfirmationResult.Recorded);
        Assert.All(outcomes, o => Assert.True(o.Result is ConfirmationResult.Recorded or ConfirmationResult.AlreadyRecorded, o.ToString()));
        Assert.Equal(["Paid"], await WhereAsync(instance));
        Assert.Single(await host.Runtime.GetJournalAsync(instance), j => j.ElementId == "WaitConfirmed" && j.Kind == JournalKind.Completed);
    }

    [Fact]
    public async Task ConfirmationForAnUnknownKey_IsNotFound_AndChangesNothing()
    {
        var instance = await StartAsync(Key("known"));
        var before = Assert.Single(await PaymentsAsync());

        var outcome = await ReportAsync(new PaymentOutcome(Key("unknown"), true, "GW-1", null));

        Assert.Equal(ConfirmationResult.NotFound, outcome.Result);
        var after = Assert.Single(await PaymentsAsync());
        Assert.Equal((before.Status, before.Version), (after.Status, after.Version));
        Assert.Equal(["WaitConfirmed"], await WhereAsync(instance));
        Assert.DoesNotContain(await host.AuditAsync(), a => a.Event is AuditEvents.PaymentConfirmed or AuditEvents.PaymentFailed);
    }

    [Fact]
    public async Task FailedConfirmation_IsRecordedWithItsReason_TheProcessTakesTheFailedBranch_AndALaterConfirmationIsRefused()
    {
        var instance = await StartAsync(Key("declined"));

        var failed = await ReportAsync(new PaymentOutcome(Key("declined"), false, null, "Account closed"));
        var contradicting = await ReportAsync(new PaymentOutcome(Key("declined"), true, null, null));

        Assert.Equal(ConfirmationResult.Recorded, failed.Result);
        Assert.Equal(ConfirmationResult.Contradicts, contradicting.Result);
        var payment = Assert.Single(await PaymentsAsync());
        Assert.Equal((PaymentStatus.Failed, "Account closed"), (payment.Status, payment.FailureReason));
        Assert.Null(payment.ConfirmedAt);
        Assert.Equal(["NotPaid"], await WhereAsync(instance));
        Assert.Single(await host.AuditAsync(), a => a.Event == AuditEvents.PaymentFailed && a.Detail!.Contains("Account closed"));
    }

    [Fact]
    public async Task ConfirmationBeforeTheProcessWaits_IsRecorded_AndTheSweepTellsTheProcessOnceItWaits()
    {
        // The gateway confirms while the service task's outbox entry has not finished yet.
        var request = new PaymentRequest(Key("early"), new Money(300m, "CNY"), PaymentChannel.Alipay, customerId, "early");
        var instance = (await host.Runtime.StartAsync(new StartProcess("pay", "case-early", request.ToVariables(), "case-early"))).Value;
        var variables = JsonNode.Parse(JsonSerializer.Serialize(request.ToVariables()))!.AsObject();
        await host.WithAsync(sp => sp.GetRequiredService<PaymentRequestHandler>().HandleAsync(
            new TopicContext(instance, "RequestPayment", PaymentProcess.RequestTopic, "early-delivery", "case-early", variables, 1), default));

        var early = await ReportAsync(new PaymentOutcome(Key("early"), true, null, null));
        Assert.Equal((ConfirmationResult.Recorded, false), (early.Result, early.ProcessNotified));
        Assert.Equal(["RequestPayment"], await WhereAsync(instance));

        await host.RunOutboxAsync();
        Assert.Equal(["WaitConfirmed"], await WhereAsync(instance));
        Assert.Equal(1, await host.WithAsync(sp => sp.GetRequiredService<PaymentConfirmations>().NotifyPendingAsync(default)));

        Assert.Equal(["Paid"], await WhereAsync(instance));
        Assert.NotNull(Assert.Single(await PaymentsAsync()).ProcessNotifiedAt);
        Assert.Equal(0, await host.WithAsync(sp => sp.GetRequiredService<PaymentConfirmations>().NotifyPendingAsync(default)));
    }
}
