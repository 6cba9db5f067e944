using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.E2ETests.Infrastructure;
using Xunit;

namespace Remediation.E2ETests.Shell;

/// <summary>Errors under /api come back as RFC 9457 problem details, never as the HTML error page.</summary>
[Collection(PortalCollection.Name)]
public sealed class ApiErrorTests(PortalFixture portal, SecurityApp app) : IClassFixture<SecurityApp>
{
    [Fact]
    public async Task UnknownApiPath_Is404ProblemJson()
    {
        using var client = new PortalHttp(portal.BaseUrl);
        await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword);

        await AssertProblemAsync(await client.GetAsync("api/no-such-thing"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnonymousApiCall_Is401ProblemJson_AndWrongMethodIs405()
    {
        using var client = new PortalHttp(portal.BaseUrl);

        await AssertProblemAsync(await client.GetAsync("api/script-check?text=x"), HttpStatusCode.Unauthorized);
        await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword);
        await AssertProblemAsync(await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "api/script-check")), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task UnhandledException_Is500ProblemJson_WithoutDetails()
    {
        using var client = new PortalHttp(app.BaseUrl);
        await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword);

        var response = await client.GetAsync(SecurityApp.FailingApiPath.TrimStart('/'));

        var body = await AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("deliberate", body);
    }

    [Fact]
    public async Task OversizedBody_Is413ProblemJson()
    {
        using var client = new PortalHttp(portal.BaseUrl);
        await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword);
        var huge = new string('x', 2 * 1024 * 1024);

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/complaints")
        {
            Content = JsonContent.Create(new { contactName = "Wang Fang", account = huge }),
        });

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task PageErrors_StayHtml()
    {
        using var client = new PortalHttp(portal.BaseUrl);
        await client.LoginAsync("handler@demo.local", PageExtensions.DemoPassword);

        var response = await client.GetAsync("no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("title").GetString()));
        return body;
    }
}
