using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Remediation.Portal.Infrastructure;

public static class LocalUrls
{
    /// <summary>
    /// Where to send the user back to after sign-in or a language switch: <paramref name="returnUrl"/> if it is local
    /// (never another site), otherwise the home page; encoded by <see cref="ForLocationHeader"/>.
    /// </summary>
    public static string LocalOrHome(this IUrlHelper url, string? returnUrl) =>
        url.IsLocalUrl(returnUrl) ? ForLocationHeader(returnUrl!) : "~/";

    /// <summary>
    /// <paramref name="url"/> with every character outside printable ASCII (non-ASCII such as <c>/Queue?Q=王</c>, spaces)
    /// percent-encoded as UTF-8, as a browser would; existing escapes are kept. Kestrel refuses (500) a header value with
    /// any other character. Also used for the cookie handler's own redirect to a return URL.
    /// </summary>
    public static string ForLocationHeader(string url)
    {
        var encoded = new StringBuilder(url.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F) { encoded.Append((char)rune.Value); continue; }
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length]) encoded.Append('%').Append(b.ToString("X2"));
        }
        return encoded.ToString();
    }
}
