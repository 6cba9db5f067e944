using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Portal;
using Xunit;

namespace Remediation.UnitTests.Portal;

public sealed partial class LocalizationResourcesTests
{
    private static readonly ResourceManager Resources = new("Remediation.Portal.Resources.SharedResource", typeof(SharedResource).Assembly);

    [Fact]
    public void ChineseResources_TranslateEveryEnglishString_WithTheSamePlaceholders()
    {
        var english = Entries(CultureInfo.InvariantCulture);
        var chinese = Entries(new CultureInfo("zh-Hans"));

        Assert.NotEmpty(english);
        Assert.Equal(english.Keys.Order(), chinese.Keys.Order());
        foreach (var (key, text) in chinese)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"'{key}' has an empty translation");
            Assert.Equal(Placeholders(key), Placeholders(text));
        }
    }

    [Fact]
    public void SharedLocalizer_ReturnsChinese_WhenTheUiCultureIsZhHans()
    {
        var factory = new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);
        var localizer = factory.Create(typeof(SharedResource));
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("登录", localizer["Sign in"].Value);
            Assert.False(localizer["Sign in"].ResourceNotFound);

            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Sign in", localizer["Sign in"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static Dictionary<string, string> Entries(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static List<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order()];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
