using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Remediation.Domain.Complaints;
using Remediation.Domain.Customers;
using Remediation.Domain.ServiceLevels;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Payments;
using Remediation.Workflows;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Cli;

/// <summary>
/// <c>seed complaints N [--data-folder PATH]</c>: migrates the database, publishes the shipped process definitions if needed
/// and creates N complaints with customers and a running <c>complaint-handling</c> instance each (docs/performance.md).
/// Runs without the web host and without the Hangfire server; the portal's start-up timer sweep arms the timers.
/// </summary>
public static class SeedCommand
{
    public const int MaxComplaints = ComplaintReference.MaxSequence;

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "seed";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (!TryParse(args, out var count, out var dataFolder))
        {
            output.WriteLine($"usage: seed complaints N [--data-folder PATH]   (N from 1 to {MaxComplaints:N0})");
            return 2;
        }

        // A test-data tool: it runs with the Development settings (demo users, the development payment gateway) whatever
        // ASPNETCORE_ENVIRONMENT says, so it never needs a production gateway configured.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = Environments.Development });
        var overrides = new Dictionary<string, string?> { ["Hangfire:Server:Enabled"] = "false", ["Payments:Gateway"] = "Development" };
        if (dataFolder is not null) overrides["Database:DataFolder"] = Path.GetFullPath(dataFolder);
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddRemediationPersistence();
        builder.AddRemediationIdentity();
        builder.AddRemediationLocalization();
        builder.AddRemediationHangfire();
        builder.AddRemediationWorkflows();
        builder.AddComplaintHandling();
        builder.AddRemediationPayments();
        await using var app = builder.Build();

        var clock = Stopwatch.StartNew();
        await app.Services.MigrateRemediationDatabaseAsync();
        await app.Services.SeedRemediationAsync();
        int seeded;
        try
        {
            // The portal publishes the shipped BPMN on start; the seed needs the published version before that.
            foreach (var publisher in app.Services.GetServices<IHostedService>().OfType<ComplaintWorkflowPublisher>())
                await publisher.StartAsync(CancellationToken.None);
            seeded = await ComplaintSeeder.SeedAsync(app.Services, count, TimeProvider.System.GetUtcNow(), output);
        }
        catch (InvalidOperationException e)
        {
            // A definition that does not publish, or a process without the elements the seed follows: say which, no stack trace.
            output.WriteLine($"Seeding failed: {e.Message}");
            return 1;
        }
        clock.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {seeded:N0} complaints in {clock.Elapsed.TotalSeconds:F1} s ({seeded / clock.Elapsed.TotalSeconds:N0}/s)."));
        return 0;
    }

    private static bool TryParse(string[] args, out int count, out string? dataFolder)
    {
        count = 0;
        dataFolder = null;
        if (args.Length is not (3 or 5) || args[1] != "complaints") return false;
        if (!int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxComplaints) return false;
        if (args.Length == 5)
        {
            if (args[3] != "--data-folder" || string.IsNullOrWhiteSpace(args[4])) return false;
            dataFolder = args[4];
        }
        return true;
    }
}

/// <summary>
/// Creates complaints in bulk, with the rows the engine would have written for each: the instance started,
/// acknowledged, moved through the steps the complaint has completed, and (when a step's SLA has passed) the
/// boundary timer fired with an escalation task for a supervisor. Starting 100,000 instances through
/// <see cref="IWorkflowRuntime.StartAsync"/> would commit (and fsync) 100,000 transactions and queue a Hangfire job for
/// each acknowledgement; bulk rows in transactions of <see cref="BatchSize"/> take seconds instead (docs/performance.md).
/// Deterministic: the same count and clock give the same names, phones, products and steps.
/// </summary>
public static class ComplaintSeeder
{
    public const int BatchSize = 500;
    private const string ProcessId = ComplaintProcess.ProcessId;
    private static readonly TimeSpan Spread = TimeSpan.FromDays(30);
    private static readonly JsonSerializerOptions Json = new();

    /// <summary>The handler steps a seeded complaint may have reached, with the BPMN elements of each.</summary>
    private static readonly (ComplaintStep Step, string TaskId, string BoundaryId, string[] GatewaysBefore)[] Steps =
    [
        (ComplaintStep.Vent, "Task_Vent", "Boundary_VentSla", []),
        (ComplaintStep.Apologise, "Task_Apologise", "Boundary_ApologiseSla", []),
        (ComplaintStep.Probe, "Task_Probe", "Boundary_ProbeSla", ["Gateway_ProbeMerge"]),
        (ComplaintStep.Propose, "Task_Propose", "Boundary_ProposeSla", ["Gateway_ProposeMerge"]),
    ];

    /// <returns>How many complaints were created.</returns>
    /// <param name="spread">How far back the complaints were received (evenly); 30 days unless given. The embedded demo
    /// uses a working day, so that its desk shows work due today and only a few cases past their SLA.</param>
    public static async Task<int> SeedAsync(IServiceProvider services, int count, DateTimeOffset now, TextWriter output, CancellationToken ct = default,
        TimeSpan? spread = null)
    {
        var policy = services.GetService<ServiceLevelPolicy>() ?? new ServiceLevelPolicy();
        var process = await LoadProcessAsync(services, ct);
        var staff = await StaffAsync(services, ct);
        ComplaintReference? latest;
        await using (var scope = services.CreateAsyncScope())
            latest = await scope.ServiceProvider.GetRequiredService<RemediationDbContext>().Set<Complaint>().IgnoreAutoIncludes()
                .Select(c => c.Reference).OrderByDescending(r => r).FirstOrDefaultAsync(ct);

        var random = new Random(20261124);
        var customers = Enumerable.Range(0, Math.Max(1, count / 2)).Select(_ => Samples.NewCustomer(random)).ToList();
        for (var i = 0; i < customers.Count; i += BatchSize)
            await BulkRows.SaveAsync(services, customers.Skip(i).Take(BatchSize), ct);

        var start = now - (spread ?? Spread);
        var step = (spread ?? Spread) / count;
        var batch = new List<object>(BatchSize * 24);
        for (var i = 0; i < count; i++)
        {
            var receivedAt = start + step * i;
            latest = ComplaintReference.Next(latest, receivedAt);
            var customer = customers[random.Next(customers.Count)];
            Build(batch, random, process, policy.For(customer.VipTier), staff, customer, latest, receivedAt, now);
            if ((i + 1) % BatchSize == 0 || i == count - 1)
            {
                await BulkRows.SaveAsync(services, batch, ct);
                batch.Clear();
                if ((i + 1) % (BatchSize * 40) == 0) output.WriteLine($"  {i + 1:N0} / {count:N0}");
            }
        }
        return count;
    }

    private static async Task<(WorkflowDefinition Definition, ProcessModel Model)> LoadProcessAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        var definition = await db.Set<WorkflowDefinition>().AsNoTracking()
            .Where(d => d.ProcessId == ProcessId && d.Status == DefinitionStatus.Published)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"Process '{ProcessId}' has no published version.");
        var model = services.GetRequiredService<BpmnParser>().Parse(definition.Xml).Model
            ?? throw new InvalidOperationException($"Process '{ProcessId}' v{definition.Version} no longer parses.");
        var missing = Steps.SelectMany(s => new[] { s.TaskId, s.BoundaryId }.Concat(s.GatewaysBefore))
            .Concat(["StartEvent_Received", "Task_Acknowledge", "Gateway_OverdueMerge", "Task_MarkOverdue", "Task_Escalation"])
            .Where(id => !model.Nodes.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"Process '{ProcessId}' v{definition.Version} lacks the elements the seed follows: {string.Join(", ", missing)}.");
        return (definition, model);
    }

    /// <summary>Handlers that receive and work the seeded complaints: the demo users holding Handler, else a placeholder id.</summary>
    private static async Task<string[]> StaffAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var handlers = await users.GetUsersInRoleAsync(Roles.Handler);
        ct.ThrowIfCancellationRequested();
        return handlers.Count > 0 ? [.. handlers.OrderBy(u => u.Email, StringComparer.Ordinal).Select(u => u.Id)] : ["seed"];
    }

    private static void Build(List<object> rows, Random random, (WorkflowDefinition Definition, ProcessModel Model) process, ServiceLevels sla,
        string[] staff, Customer customer, ComplaintReference reference, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        var (definition, model) = process;
        var handler = staff[random.Next(staff.Length)];
        var sample = Samples.NewComplaint(random);
        var complaint = Complaint.Receive(reference, customer.Id, sample.Channel, sample.Category, sample.Severity, sample.Summary,
            IntakeContact.Create(random.Next(10) == 0 ? Samples.Name(random) : customer.Name, customer.Phone.Value, sample.Goods,
                Samples.OrderReference(random, receivedAt), Samples.Address(random), Samples.Address(random)),
            handler, receivedAt);

        // How far the complaint got: 35 % at Vent, 25 % Apologise, 20 % Probe, 20 % Propose; each step took 5–90 minutes.
        var roll = random.Next(100);
        var reached = roll < 35 ? 0 : roll < 60 ? 1 : roll < 80 ? 2 : 3;
        var t = receivedAt.UtcDateTime;
        var instanceId = Guid.CreateVersion7(receivedAt);
        var key = reference.ToString();
        var token = Token();
        var variables = new JsonObject
        {
            ["complaintId"] = complaint.Id.ToString(),
            ["complaintReference"] = key,
            ["vipTier"] = customer.VipTier.ToString(),
        };
        foreach (var (name, value) in sla.ToProcessVariables()) variables[name] = value;
        var commands = 0;

        void Journal(DateTime at, string? elementId, JournalKind kind, string? userId = null, JsonObject? vars = null) => rows.Add(new JournalEntry
        {
            InstanceId = instanceId, ElementId = elementId, Kind = kind, UserId = userId, At = at, VariablesJson = vars?.ToJsonString(),
        });
        void Outbox(DateTime at, string elementId, string tokenId, string topic) => rows.Add(new OutboxEntry
        {
            Id = Guid.CreateVersion7(at), InstanceId = instanceId, TokenId = tokenId, ElementId = elementId, Topic = topic,
            IdempotencyKey = $"{instanceId:N}:{elementId}:{tokenId}:1", PayloadJson = variables.ToJsonString(),
            Status = OutboxStatus.Done, Attempts = 1, NextAttemptAt = at, CreatedAt = at, CompletedAt = at.AddSeconds(1),
        });

        // Start: the none start event, then the acknowledgement service task (its handler ran a second later).
        Journal(t, null, JournalKind.InstanceStarted, vars: variables);
        Journal(t, "StartEvent_Received", JournalKind.Entered);
        Journal(t, "StartEvent_Received", JournalKind.Completed);
        Journal(t, "Task_Acknowledge", JournalKind.Entered);
        Outbox(t, "Task_Acknowledge", token, ((ServiceTask)model.Nodes["Task_Acknowledge"]).Topic);
        commands++;
        t = t.AddSeconds(1);
        Journal(t, "Task_Acknowledge", JournalKind.Completed);
        commands++;

        WorkItem? current = null;
        WorkflowTimer? currentTimer = null;
        for (var s = 0; s <= reached; s++)
        {
            var (stepName, taskId, boundaryId, gateways) = Steps[s];
            foreach (var gateway in gateways)
            {
                Journal(t, gateway, JournalKind.Entered);
                Journal(t, gateway, JournalKind.Completed);
            }
            Journal(t, taskId, JournalKind.Entered);
            var task = (UserTask)model.Nodes[taskId];
            var due = t + sla.For(stepName)!.Value;
            current = new WorkItem
            {
                Id = Guid.CreateVersion7(t), InstanceId = instanceId, TokenId = token, ElementId = taskId, Name = task.Name, FormKey = task.FormKey,
                CandidateRoles = "|" + string.Join('|', task.CandidateGroups) + "|", DueAt = due, Status = WorkItemStatus.Open,
                CreatedAt = t, BusinessKey = key,
            };
            currentTimer = new WorkflowTimer
            {
                Id = Guid.CreateVersion7(t), InstanceId = instanceId, TokenId = token, ElementId = boundaryId, DueAt = due, Status = TimerStatus.Scheduled,
            };
            rows.Add(current);
            rows.Add(currentTimer);
            if (s == reached) break;

            // The handler completed this step within its SLA.
            var done = t + TimeSpan.FromMinutes(5 + random.Next(Math.Max(1, Math.Min(85, (int)(due - t).TotalMinutes - 5))));
            if (done > now.UtcDateTime)
            {
                reached = s;
                break;
            }
            current.Status = WorkItemStatus.Completed;
            current.Assignee = handler;
            current.CompletedBy = handler;
            current.CompletedAt = done;
            currentTimer.Status = TimerStatus.Cancelled;
            var at = new DateTimeOffset(done);
            switch (stepName)
            {
                case ComplaintStep.Vent:
                    complaint.RecordVent(VentRecord.Create(sample.Account, sample.Channel, Samples.Pick(random, Enum.GetValues<EmotionalState>()), null, handler, at));
                    break;
                case ComplaintStep.Apologise:
                    complaint.RecordApology(ApologyRecord.Create(true, true, Samples.Pick(random, Samples.Apologies), handler, at));
                    break;
                case ComplaintStep.Probe:
                    complaint.RecordProbe(ProbeRecord.Create(new ProbeAnswers
                    {
                        WhatHappened = sample.Account, Product = sample.Goods, DesiredResolution = Samples.Pick(random, Samples.Resolutions),
                        ReturningCustomer = random.Next(2) == 0,
                    }, handler, at));
                    break;
            }
            Journal(done, taskId, JournalKind.Completed, handler);
            commands++;
            t = done;
        }

        // A quarter of the waiting tasks are claimed by a handler.
        if (random.Next(4) == 0) current!.Assignee = handler;
        var tokens = new JsonArray(Token(token, current!.ElementId, Flow(model, current.ElementId)));
        var visits = new JsonObject { ["Task_Acknowledge"] = 1 };
        if (currentTimer!.DueAt <= now.UtcDateTime)
        {
            // The SLA passed: the non-interrupting boundary timer fired, the case was marked overdue and a supervisor was asked to act.
            var firedAt = currentTimer.DueAt;
            var escalation = Token();
            currentTimer.Status = TimerStatus.Fired;
            Journal(firedAt, currentTimer.ElementId, JournalKind.Entered);
            Journal(firedAt, currentTimer.ElementId, JournalKind.Completed);
            Journal(firedAt, "Gateway_OverdueMerge", JournalKind.Entered);
            Journal(firedAt, "Gateway_OverdueMerge", JournalKind.Completed);
            Journal(firedAt, "Task_MarkOverdue", JournalKind.Entered);
            Outbox(firedAt, "Task_MarkOverdue", escalation, ((ServiceTask)model.Nodes["Task_MarkOverdue"]).Topic);
            var markedAt = firedAt.AddSeconds(1);
            complaint.MarkOverdue(new DateTimeOffset(markedAt));
            Journal(markedAt, "Task_MarkOverdue", JournalKind.Completed);
            Journal(markedAt, "Task_Escalation", JournalKind.Entered);
            var task = (UserTask)model.Nodes["Task_Escalation"];
            rows.Add(new WorkItem
            {
                Id = Guid.CreateVersion7(markedAt), InstanceId = instanceId, TokenId = escalation, ElementId = task.Id, Name = task.Name, FormKey = task.FormKey,
                CandidateRoles = "|" + string.Join('|', task.CandidateGroups) + "|", DueAt = markedAt.AddHours(4), Status = WorkItemStatus.Open,
                CreatedAt = markedAt, BusinessKey = key,
            });
            tokens.Add(Token(escalation, task.Id, Flow(model, task.Id)));
            visits["Task_MarkOverdue"] = 1;
            commands += 2;
        }

        var state = new JsonObject { ["SchemaVersion"] = 1, ["Tokens"] = tokens, ["Variables"] = variables.DeepClone(), ["Visits"] = visits };
        rows.Add(new WorkflowInstance
        {
            Id = instanceId, DefinitionId = definition.Id, ProcessId = definition.ProcessId, DefinitionVersion = definition.Version,
            Status = InstanceStatus.Running, BusinessKey = key, CorrelationKey = key, StateJson = state.ToJsonString(Json),
            Version = commands, CreatedAt = receivedAt.UtcDateTime,
        });
        rows.Add(complaint);
    }

    private static string Token() => Guid.NewGuid().ToString("N")[..12];

    private static JsonObject Token(string id, string elementId, string arrivedVia) =>
        new() { ["Id"] = id, ["ElementId"] = elementId, ["ArrivedVia"] = arrivedVia, ["Status"] = "Waiting" };

    private static string Flow(ProcessModel model, string elementId) => model.Nodes[elementId].Incoming[0].Id;

    /// <summary>Realistic, varied sample data from the domain's vocabulary (docs/business.md §4–§5).</summary>
    private static class Samples
    {
        private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
        private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "晓东", "建华"];
        private static readonly string[] EnglishNames = ["Emma Clarke", "Liam Patel", "Olivia Chen", "Noah Smith", "Ava Müller", "Lucas Rossi", "Mia Johnson", "Ethan Wong", "Sofia García", "James O'Brien"];
        private static readonly string[] Cities = ["上海市浦东新区", "北京市朝阳区", "广州市天河区", "深圳市南山区", "杭州市西湖区", "成都市武侯区", "南京市鼓楼区", "武汉市江汉区"];
        private static readonly string[] Streets = ["世纪大道", "建国路", "天河路", "科技园南路", "文三路", "人民南路", "中山路", "解放大道"];
        public static readonly string[] Apologies =
        [
            "非常抱歉给您带来不便,谢谢您告诉我们。", "I'm very sorry for the trouble, and thank you for letting us know.",
            "对于这次的经历我们深表歉意,感谢您的反馈。", "We apologise for the experience and thank you for raising it with us.",
        ];
        public static readonly string[] Resolutions = ["退款", "换货", "维修", "补偿优惠券", "Refund", "Replacement", "Repair", "An apology and a coupon"];
        private static readonly (string Goods, string Account, ComplaintCategory Category)[] Problems =
        [
            ("智能电饭煲 IH-5", "收到的电饭煲内胆有划痕,第一次用就粘锅。", ComplaintCategory.ProductQuality),
            ("无线耳机 Air Pro", "The left earbud stopped charging after a week.", ComplaintCategory.ProductQuality),
            ("羽绒服 L 码", "快递晚了五天,说好的次日达。", ComplaintCategory.Delivery),
            ("Office chair ErgoMax", "The parcel arrived crushed and two parts were missing.", ComplaintCategory.Delivery),
            ("会员年卡", "客服电话里态度很差,直接挂了我的电话。", ComplaintCategory.ServiceAttitude),
            ("Coffee machine Barista 3", "The hotline agent was rude and promised a call back that never came.", ComplaintCategory.ServiceAttitude),
            ("电视机 65 寸", "同一个订单被扣了两次款。", ComplaintCategory.Billing),
            ("Running shoes Trail X", "I was charged the full price although the coupon was accepted.", ComplaintCategory.Billing),
            ("扫地机器人 S8", "在网上给了差评,希望有人联系我处理。", ComplaintCategory.NegativeReview),
            ("Blender PowerMix", "I left a one-star review after the motor burnt out.", ComplaintCategory.NegativeReview),
            ("儿童自行车", "安装说明书缺页,无法组装。", ComplaintCategory.Other),
        ];

        public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

        public static string Name(Random random) => random.Next(5) == 0
            ? Pick(random, EnglishNames)
            : Pick(random, Surnames) + Pick(random, GivenNames);

        public static string Address(Random random) =>
            $"{Pick(random, Cities)}{Pick(random, Streets)}{random.Next(1, 999)}号";

        public static string OrderReference(Random random, DateTimeOffset at) =>
            string.Create(CultureInfo.InvariantCulture, $"SO-{at.UtcDateTime:yyyyMMdd}-{random.Next(100_000, 999_999)}");

        public static Customer NewCustomer(Random random)
        {
            var name = Name(random);
            var customer = Customer.Register(name, $"+86 13{random.Next(10)} {random.Next(1000, 9999)} {random.Next(1000, 9999)}",
                random.Next(3) == 0 ? null : $"customer{random.Next(1_000_000)}@example.com");
            customer.UpdateProfile(
                random.Next(5) == 0 ? null : Pick(random, Enum.GetValues<PersonalityType>()),
                random.Next(5) == 0 ? null : Pick(random, Enum.GetValues<BuyingBehaviour>()),
                random.Next(5) == 0 ? null : Pick(random, Enum.GetValues<ValueClass>()));
            var tier = random.Next(100);
            customer.ChangeVipTier(tier < 70 ? VipTier.None : tier < 88 ? VipTier.Silver : tier < 97 ? VipTier.Gold : VipTier.Diamond);
            return customer;
        }

        public static (ComplaintChannel Channel, ComplaintCategory Category, ComplaintSeverity Severity, string Summary, string Account, string Goods) NewComplaint(Random random)
        {
            var (goods, account, category) = Pick(random, Problems);
            var channel = category == ComplaintCategory.NegativeReview ? ComplaintChannel.SocialReview : Pick(random, Enum.GetValues<ComplaintChannel>());
            var severity = random.Next(100) switch { < 40 => ComplaintSeverity.Low, < 75 => ComplaintSeverity.Medium, < 95 => ComplaintSeverity.High, _ => ComplaintSeverity.Critical };
            return (channel, category, severity, account, account, goods);
        }
    }
}
