using System.Net;
using System.Text.RegularExpressions;

namespace Remediation.E2ETests.Complaints;

/// <summary>
/// A signed-in staff member as an HTTP client of its own (own cookies, so its flash messages stay its own), for firing
/// many real form posts at once through Kestrel. Redirects are followed: the answer is the page the user would see.
/// </summary>
public sealed partial class StaffClient : IDisposable
{
    private readonly HttpClient http;

    private StaffClient(Uri baseUrl) =>
        http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = baseUrl };

    public static async Task<StaffClient> SignInAsync(Uri baseUrl, string email)
    {
        var client = new StaffClient(baseUrl);
        var login = await client.http.GetStringAsync("Account/Login");
        var response = await client.http.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = Infrastructure.PageExtensions.DemoPassword, ["__RequestVerificationToken"] = Token(login),
        }));
        if (response.RequestMessage!.RequestUri!.AbsolutePath.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Sign-in of {email} failed.");
        return client;
    }

    public Task<string> GetAsync(string url) => http.GetStringAsync(url);

    public Task<HttpResponseMessage> PostJsonAsync(string url, object body) => System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, url, body);

    /// <summary>Posts a form with the antiforgery token taken from <paramref name="page"/>; returns the status and the page shown.</summary>
    public async Task<(HttpStatusCode Status, string Html)> PostAsync(string url, string page, IDictionary<string, string> fields)
    {
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = Token(page) };
        var response = await http.PostAsync(url, new FormUrlEncodedContent(form));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The value of the hidden input <paramref name="name"/> in the first form holding it.</summary>
    public static string Hidden(string html, string name) =>
        Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException($"No hidden {name} in the page.");

    private static string Token(string html) => Hidden(html, "__RequestVerificationToken");

    public void Dispose() => http.Dispose();
}
