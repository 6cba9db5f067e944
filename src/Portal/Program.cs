using Remediation.Portal.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddRemediationPersistence();
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
