using System.Net;
using System.Text.RegularExpressions;

namespace Remediation.E2ETests.Infrastructure;

/// <summary>
/// A plain HTTP client for the app: its own cookies, redirects not followed (tests look at them), and sign-in through
/// the real login form (antiforgery token included).
/// </summary>
public sealed partial class PortalHttp : IDisposable
{
    private readonly HttpClient _client;

    public PortalHttp(Uri baseUrl)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = baseUrl,
        };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _client.BaseAddress!;

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _client.SendAsync(request);

    public Task<HttpResponseMessage> GetAsync(string path, IDictionary<string, string>? headers = null) =>
        _client.SendAsync(Request(HttpMethod.Get, path, headers));

    /// <summary>Posts the login form (fetching it first for the antiforgery token) and returns the answer to the POST.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string email, string password, string? returnUrl = null, IDictionary<string, string>? headers = null)
    {
        var path = returnUrl is null ? "Account/Login" : "Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var form = new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password };
        if (returnUrl is not null) form["ReturnUrl"] = returnUrl;
        return await PostFormAsync(path, form, headers);
    }

    /// <summary>Signs out with the navbar's form, as the browser does.</summary>
    public Task<HttpResponseMessage> LogoutAsync() => PostFormAsync("Account/Logout", new Dictionary<string, string>(), tokenFrom: "");

    /// <summary>GETs <paramref name="tokenFrom"/> (default: the same path) for an antiforgery token and posts the form with it.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> form, IDictionary<string, string>? headers = null, string? tokenFrom = null)
    {
        using var page = await GetAsync(tokenFrom ?? path, headers);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenInput().Match(html);
        if (!token.Success) throw new InvalidOperationException($"No antiforgery token on {tokenFrom ?? path} ({(int)page.StatusCode}).");
        form["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        var request = Request(HttpMethod.Post, path, headers);
        request.Content = new FormUrlEncodedContent(form);
        return await _client.SendAsync(request);
    }

    public void Dispose() => _client.Dispose();

    private static HttpRequestMessage Request(HttpMethod method, string path, IDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
