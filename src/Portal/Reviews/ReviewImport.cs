using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Customers;
using Remediation.Domain.Reviews;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Model;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Reviews;

/// <summary>What an import did (or, on a dry run, would do).</summary>
public sealed record ImportSummary(int Imported, int Duplicates, IReadOnlyList<ImportError> Errors, int BadRows, bool ErrorsTruncated);

/// <summary>
/// Imports reviews from CSV. A dry run reads and checks every row and imports nothing; otherwise the valid rows are imported
/// in batches of <see cref="BatchSize"/>, a review whose platform and external id is already known (in the database or earlier
/// in the file) is skipped and counted. Each batch is one transaction at the write gate holding the reviews, new customers and
/// the rows the engine would have written to start each review's process (waiting at the reply task, its SLA timer armed by
/// the engine's sweep): starting 10,000 processes one command each would take minutes (docs/reviews.md).
/// </summary>
public sealed class ReviewImport(IServiceProvider services, RemediationDbContext db, IWriteGate gate, ReviewOptions options, BpmnParser parser,
    TimeProvider clock)
{
    public const int BatchSize = 500;
    /// <summary>At most this many errors are listed (the count of bad rows is always exact).</summary>
    public const int MaxErrorsListed = 1000;

    public async Task<ImportSummary> RunAsync(Stream seekable, string? charset, bool dryRun, string userId, CancellationToken ct)
    {
        var encoding = ReviewCsv.DetectEncoding(seekable, charset);
        using var reader = new StreamReader(seekable, encoding, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var catalogue = options.Catalogue();
        var now = clock.GetUtcNow();
        var process = dryRun ? default : await LoadProcessAsync(ct);
        var errors = new List<ImportError>();
        var (imported, duplicates, badRows) = (0, 0, 0);
        var seen = new HashSet<(string, string)>();
        var batch = new List<(int Line, ReviewInput Input)>(BatchSize);

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var (added, skipped) = await ImportBatchAsync(batch, catalogue, process, dryRun, userId, now, seen, ct);
            (imported, duplicates) = (imported + added, duplicates + skipped);
            batch.Clear();
        }

        await foreach (var row in ReviewCsv.ReadAsync(reader, ct))
        {
            var rowErrors = row.Errors.Concat(ReviewIntake.Validate(row.Input, catalogue, now)
                .Where(e => !row.Errors.Any(p => p.Column == ReviewCsv.ColumnOf(e.Field)))
                .Select(e => new ImportError(row.Line, ReviewCsv.ColumnOf(e.Field), e.Message, e.Arguments))).ToList();
            if (rowErrors.Count > 0)
            {
                badRows++;
                foreach (var e in rowErrors) if (errors.Count < MaxErrorsListed) errors.Add(e);
                continue;
            }
            batch.Add((row.Line, row.Input));
            if (batch.Count == BatchSize) await FlushAsync();
        }
        await FlushAsync();
        return new(imported, duplicates, errors, badRows, badRows > 0 && errors.Count >= MaxErrorsListed);
    }

    private async Task<(int Added, int Duplicates)> ImportBatchAsync(List<(int Line, ReviewInput Input)> rows, ReviewCatalogue catalogue,
        (WorkflowDefinition Definition, ProcessModel Model) process, bool dryRun, string userId, DateTimeOffset now, HashSet<(string, string)> seen, CancellationToken ct)
    {
        var keyed = rows.Select(r => (r.Input, Platform: catalogue.Platform(r.Input.Platform), ExternalId: r.Input.ExternalId!.Trim())).ToList();
        var ids = keyed.Select(k => k.ExternalId).Distinct().ToList();
        var known = (await db.Set<Review>().AsNoTracking().IgnoreAutoIncludes().Where(r => ids.Contains(r.ExternalId))
            .Select(r => new { r.Platform, r.ExternalId }).ToListAsync(ct)).Select(r => (r.Platform, r.ExternalId)).ToHashSet();
        var fresh = keyed.Where(k => !known.Contains((k.Platform, k.ExternalId)) && seen.Add((k.Platform, k.ExternalId))).ToList();
        var duplicates = keyed.Count - fresh.Count;
        if (dryRun || fresh.Count == 0) return (fresh.Count, duplicates);

        var customers = await CustomersAsync(fresh.Select(f => (f.Platform, f.Input.Customer)).ToList(), ct);
        var rowsToSave = new List<object>(fresh.Count * 8);
        foreach (var (input, platform, externalId) in fresh)
        {
            var (customer, isNew) = customers.Match(platform, input.Customer);
            if (isNew) rowsToSave.Add(customer!);
            var review = Review.Receive(catalogue, platform, externalId, input.Rating!.Value, input.Text!, input.PostedAt!.Value, input.Language,
                input.OrderReference, customer?.Id, input.Customer.Name, input.Customer.PlatformBuyerId, now, options.ReplySlaFor(customer?.VipTier ?? VipTier.None));
            rowsToSave.Add(review);
            AddProcessRows(rowsToSave, process, review, userId);
        }
        await gate.RunAsync(() => BulkRows.SaveAsync(services, rowsToSave, ct), ct);
        return (fresh.Count, duplicates);
    }

    /// <summary>The rows <see cref="IWorkflowRuntime.StartAsync"/> writes for a review: started, waiting at the reply task with its SLA timer.</summary>
    private static void AddProcessRows(List<object> rows, (WorkflowDefinition Definition, ProcessModel Model) process, Review review, string userId)
    {
        var (definition, model) = process;
        var at = review.ReceivedAt.UtcDateTime;
        var instanceId = Guid.CreateVersion7(review.ReceivedAt);
        var token = Guid.NewGuid().ToString("N")[..12];
        var variables = new JsonObject();
        foreach (var (name, value) in ReviewIntake.StartVariables(review)) variables[name] = JsonValue.Create(value);
        var reply = (UserTask)model.Nodes[ReplyTask];
        void Journal(string? elementId, JournalKind kind, JsonObject? vars = null) => rows.Add(new JournalEntry
        {
            InstanceId = instanceId, ElementId = elementId, Kind = kind, UserId = kind == JournalKind.InstanceStarted ? userId : null, At = at,
            VariablesJson = vars?.ToJsonString(),
        });
        Journal(null, JournalKind.InstanceStarted, variables);
        Journal(StartEvent, JournalKind.Entered);
        Journal(StartEvent, JournalKind.Completed);
        Journal(ReplyTask, JournalKind.Entered);
        rows.Add(new WorkItem
        {
            Id = Guid.CreateVersion7(review.ReceivedAt), InstanceId = instanceId, TokenId = token, ElementId = ReplyTask, Name = reply.Name, FormKey = reply.FormKey,
            CandidateRoles = "|" + string.Join('|', reply.CandidateGroups) + "|", DueAt = review.ReplyDueAt.UtcDateTime, Status = WorkItemStatus.Open,
            CreatedAt = at, BusinessKey = review.Key,
        });
        rows.Add(new WorkflowTimer
        {
            Id = Guid.CreateVersion7(review.ReceivedAt), InstanceId = instanceId, TokenId = token, ElementId = ReplySlaTimer, DueAt = review.ReplyDueAt.UtcDateTime,
            Status = TimerStatus.Scheduled,
        });
        var tokens = new JsonArray(new JsonObject { ["Id"] = token, ["ElementId"] = ReplyTask, ["ArrivedVia"] = reply.Incoming[0].Id, ["Status"] = "Waiting" });
        var state = new JsonObject { ["SchemaVersion"] = 1, ["Tokens"] = tokens, ["Variables"] = variables, ["Visits"] = new JsonObject() };
        rows.Add(new WorkflowInstance
        {
            Id = instanceId, DefinitionId = definition.Id, ProcessId = definition.ProcessId, DefinitionVersion = definition.Version,
            Status = InstanceStatus.Running, BusinessKey = review.Key, CorrelationKey = review.Key, StateJson = state.ToJsonString(), Version = 1, CreatedAt = at,
        });
    }

    private const string StartEvent = "StartEvent_Received";
    private const string ReplyTask = "Task_Reply";
    private const string ReplySlaTimer = "Boundary_ReplySla";

    private async Task<(WorkflowDefinition, ProcessModel)> LoadProcessAsync(CancellationToken ct)
    {
        var definition = await db.Set<WorkflowDefinition>().AsNoTracking()
            .Where(d => d.ProcessId == ReviewProcess.ProcessId && d.Status == DefinitionStatus.Published)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"Process '{ReviewProcess.ProcessId}' has no published version.");
        var model = parser.Parse(definition.Xml).Model ?? throw new InvalidOperationException($"Process '{ReviewProcess.ProcessId}' v{definition.Version} does not parse.");
        if (!new[] { StartEvent, ReplyTask, ReplySlaTimer }.All(model.Nodes.ContainsKey) || model.Nodes[ReplyTask] is not UserTask)
            throw new InvalidOperationException($"Process '{ReviewProcess.ProcessId}' v{definition.Version} lacks {StartEvent}, {ReplyTask} or {ReplySlaTimer}; the import cannot start it in bulk.");
        return (definition, model);
    }

    /// <summary>The batch's existing customers by phone, e-mail and platform buyer id, read in three queries; new ones registered once per phone.</summary>
    private async Task<CustomerLookup> CustomersAsync(List<(string Platform, ReviewCustomerInput Customer)> buyers, CancellationToken ct)
    {
        var phones = buyers.Select(b => b.Customer.Phone).OfType<string>().Select(p => PhoneNumber.Parse(p)).Distinct().ToList();
        var emails = buyers.Select(b => b.Customer.Email?.Trim()).OfType<string>().Distinct().ToList();
        var buyerIds = buyers.Select(b => b.Customer.PlatformBuyerId?.Trim()).OfType<string>().Distinct().ToList();
        var customers = db.Set<Customer>().AsNoTracking();
        var byPhone = phones.Count == 0 ? [] : await customers.Where(c => phones.Contains(c.Phone)).ToListAsync(ct);
        var byEmail = emails.Count == 0 ? [] : await customers.Where(c => c.Email != null && emails.Contains(c.Email)).ToListAsync(ct);
        var buyerLinks = buyerIds.Count == 0 ? [] : await db.Set<Review>().AsNoTracking().IgnoreAutoIncludes()
            .Where(r => r.PlatformBuyerId != null && buyerIds.Contains(r.PlatformBuyerId) && r.CustomerId != null)
            .Select(r => new { r.Platform, r.PlatformBuyerId, r.CustomerId }).ToListAsync(ct);
        var linkedIds = buyerLinks.Select(l => l.CustomerId!.Value).Distinct().ToList();
        var linked = linkedIds.Count == 0 ? [] : await customers.Where(c => linkedIds.Contains(c.Id)).ToListAsync(ct);
        return new CustomerLookup(
            byPhone.GroupBy(c => c.Phone.Value).ToDictionary(g => g.Key, g => g.First()),
            byEmail.GroupBy(c => c.Email!).ToDictionary(g => g.Key, g => g.First()),
            buyerLinks.GroupBy(l => (l.Platform, l.PlatformBuyerId!)).ToDictionary(g => g.Key, g => linked.First(c => c.Id == g.First().CustomerId)));
    }

    private sealed class CustomerLookup(Dictionary<string, Customer> byPhone, Dictionary<string, Customer> byEmail, Dictionary<(string, string), Customer> byBuyer)
    {
        /// <summary>Same order as <see cref="ReviewIntake.MatchCustomerAsync"/>: phone, e-mail, platform buyer id; else new when a phone is given.</summary>
        public (Customer? Customer, bool IsNew) Match(string platform, ReviewCustomerInput c)
        {
            var phone = c.Phone is null ? null : PhoneNumber.Parse(c.Phone).Value;
            if (phone is not null && byPhone.TryGetValue(phone, out var p)) return (p, false);
            if (c.Email?.Trim() is { Length: > 0 } email && byEmail.TryGetValue(email, out var e)) return (e, false);
            if (c.PlatformBuyerId?.Trim() is { Length: > 0 } buyer && byBuyer.TryGetValue((platform, buyer), out var b)) return (b, false);
            if (phone is null) return (null, false);
            var created = Customer.Register(string.IsNullOrWhiteSpace(c.Name) ? c.PlatformBuyerId?.Trim() ?? phone : c.Name, phone, c.Email);
            byPhone[phone] = created;
            return (created, true);
        }
    }
}
