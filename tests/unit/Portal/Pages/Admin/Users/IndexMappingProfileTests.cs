using AutoMapper;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Portal.Data;
using Remediation.Portal.Pages.Admin.Users;
using Xunit;

namespace Remediation.UnitTests.Portal.Pages.Admin.Users;

public sealed class IndexMappingProfileTests
{
    private static readonly MapperConfiguration Configuration =
        new(cfg => cfg.AddProfile<IndexModel.MappingProfile>(), NullLoggerFactory.Instance);

    [Fact]
    public void MappingProfile_IsValid() => Configuration.AssertConfigurationIsValid();

    [Fact]
    public void Map_CopiesTheFlatFields_AndFallsBackToTheUserNameWhenEmailIsMissing()
    {
        var user = new ApplicationUser { Id = "u1", UserName = "amy@demo.local", Email = null, DisplayName = "Amy", IsDisabled = true };

        var row = Configuration.CreateMapper().Map<IndexModel.UserRow>(user);

        Assert.Equal("u1", row.Id);
        Assert.Equal("amy@demo.local", row.Email);
        Assert.Equal("Amy", row.DisplayName);
        Assert.True(row.IsDisabled);
        Assert.Empty(row.Roles);
    }
}
