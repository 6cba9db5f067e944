using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Remediation.E2ETests.Infrastructure;

/// <summary>
/// The real portal on Kestrel at 127.0.0.1 with a random port, its own temp data folder (SQLite database and
/// Hangfire storage) and the demo users seeded. One per test collection; a derived fixture may add settings.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    /// <summary>Configuration added on top of the defaults below (e.g. shortened service levels).</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    /// <summary>Services replaced or added after the app's own (e.g. a counting password hasher).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    private PortalFactory? _factory;

    public string DataFolder { get; } = Directory.CreateTempSubdirectory("remediation-e2e-").FullName;

    /// <summary>Root URL of the running app, ending in a slash.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The app's root services: create a scope to reach the database or UserManager.</summary>
    public IServiceProvider Services => _factory!.Services;

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(DataFolder, ExtraSettings, ConfigureServices);
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } // best effort: temp folder
    }

    private sealed class PortalFactory(string dataFolder, IReadOnlyDictionary<string, string> extraSettings, Action<IServiceCollection> configureServices)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // UseSetting (host configuration) is visible while Program.cs builds its services; ConfigureAppConfiguration would come too late.
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Seed:SampleCases", "0"); // tests create the cases they need
            builder.UseSetting("Seed:SampleReviews", "0");
            builder.UseSetting("Database:DataFolder", dataFolder);
            builder.UseSetting("ConnectionStrings:Sqlite", "");
            builder.UseSetting("Seed:DemoData", "true");
            builder.UseSetting("Hangfire:Server:Enabled", "true");
            foreach (var (key, value) in extraSettings) builder.UseSetting(key, value);
            builder.ConfigureTestServices(configureServices);
        }
    }
}
