using Xunit;

namespace Remediation.E2ETests.Infrastructure;

/// <summary>
/// The browser tests share one app and one browser. Hangfire's configuration is process-global
/// (JobStorage.Current), so two apps must not start concurrently: keep browser tests in this one collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Portal";
}
