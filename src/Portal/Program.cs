using Remediation.Portal.Api;
using Remediation.Portal.Cli;
using Remediation.Portal.Complaints;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Payments;
using Remediation.Portal.Reviews;

// `bpmn validate FILE` checks a diagram without starting the web host or touching the database.
if (BpmnCommand.Matches(args)) { Environment.ExitCode = BpmnCommand.Run(args, Console.Out); return; }
// `seed complaints N` fills the database for load tests (docs/performance.md).
if (SeedCommand.Matches(args)) { Environment.ExitCode = await SeedCommand.RunAsync(args, Console.Out); return; }

var builder = WebApplication.CreateBuilder(args);

builder.AddRemediationPersistence();
builder.AddRemediationIdentity();
builder.AddRemediationLocalization();
builder.AddRemediationHangfire();
builder.AddRemediationWeb();
builder.AddRemediationHttpSecurity();
builder.AddRemediationApi();
builder.AddRemediationWorkflows();
builder.AddComplaintHandling();
builder.AddRemediationPayments();
builder.AddReviewHandling();

var app = builder.Build();

await app.Services.MigrateRemediationDatabaseAsync();
await app.Services.SeedRemediationAsync();

app.UseRemediationHttpSecurity();
if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error");
app.UseRemediationStatusCodePages();
app.UseRemediationApiErrors();
app.UseStaticFiles();
app.UseRequestLocalization();
app.UseLentSqliteConnections();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

app.MapRazorPages();
app.MapRemediationHangfireDashboard();
app.MapRemediationHealthChecks();
app.MapComplaintApi();
app.MapPaymentApi();
app.MapReviewApi();

app.Run();

/// <summary>Entry point; public so the test hosts (WebApplicationFactory) can start the real app.</summary>
public partial class Program;
