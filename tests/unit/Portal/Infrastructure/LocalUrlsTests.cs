using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Routing;
using Remediation.Portal.Infrastructure;
using Xunit;

namespace Remediation.UnitTests.Portal.Infrastructure;

public sealed class LocalUrlsTests
{
    private static readonly IUrlHelper Url = new UrlHelper(new ActionContext(new DefaultHttpContext(), new RouteData(), new ActionDescriptor()));

    [Theory]
    [InlineData("/Queue?Q=王", "/Queue?Q=%E7%8E%8B")]
    [InlineData("/Queue?Q=a b", "/Queue?Q=a%20b")]
    [InlineData("/Queue?Q=%E7%8E%8B", "/Queue?Q=%E7%8E%8B")]
    [InlineData("/Complaints/Case?id=1#step", "/Complaints/Case?id=1#step")]
    [InlineData("~/Queue", "~/Queue")]
    public void LocalOrHome_KeepsALocalUrl_AsAsciiALocationHeaderCanCarry(string returnUrl, string expected)
    {
        var target = Url.LocalOrHome(returnUrl);

        Assert.Equal(expected, target);
        Assert.All(target, c => Assert.InRange(c, '!', '~'));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")] // browsers drop the tab and would read //evil.example
    [InlineData("javascript:alert(1)")]
    public void LocalOrHome_SendsAnyOtherUrlHome(string? returnUrl) =>
        Assert.Equal("~/", Url.LocalOrHome(returnUrl));
}
