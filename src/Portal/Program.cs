using Remediation.Portal.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddRemediationPersistence();
builder.AddRemediationIdentity();
builder.AddRemediationLocalization();
builder.AddRemediationHangfire();
builder.AddRemediationWeb();

var app = builder.Build();

await app.Services.MigrateRemediationDatabaseAsync();
await app.Services.SeedRemediationAsync();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
app.UseStaticFiles();
app.UseRequestLocalization();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

app.MapRazorPages();
app.MapRemediationHangfireDashboard();
app.MapRemediationHealthChecks();

app.Run();

/// <summary>Entry point; public so the test hosts (WebApplicationFactory) can start the real app.</summary>
public partial class Program;
