using Remediation.Portal.Cli;
using Remediation.Portal.Infrastructure;

// `bpmn validate FILE` checks a diagram without starting the web host or touching the database.
if (BpmnCommand.Matches(args)) { Environment.ExitCode = BpmnCommand.Run(args, Console.Out); return; }

var builder = WebApplication.CreateBuilder(args);

builder.AddRemediationPersistence();
builder.AddRemediationWorkflows();
builder.Services.AddRazorPages();

var app = builder.Build();

await app.Services.MigrateRemediationDatabaseAsync();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}

app.UseStaticFiles();
app.UseRouting();
app.UseAuthorization();
app.MapRazorPages();
app.MapHealthChecks("/healthz");

app.Run();

/// <summary>Entry point; public so the test hosts (WebApplicationFactory) can start the real app.</summary>
public partial class Program;
