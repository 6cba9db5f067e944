using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Domain.Remedies;
using Remediation.Portal;
using Remediation.Portal.Infrastructure;
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
    public void SharedLocalizer_FollowsTheUiCulture_OfEachLookup_ThroughItsCache()
    {
        // The portal's factory: resource strings are cached per UI culture once found.
        var factory = new CachingStringLocalizerFactory(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance));
        var localizer = factory.Create(typeof(SharedResource));
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("登录", localizer["Sign in"].Value);
            Assert.False(localizer["Sign in"].ResourceNotFound);

            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Sign in", localizer["Sign in"].Value);
            Assert.Equal("Amount is required.", localizer["{0} is required.", "Amount"].Value);
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("登录", localizer["Sign in"].Value);

            // A name with no resource comes back as itself, flagged, every time.
            Assert.True(localizer["No such resource <b>"].ResourceNotFound);
            Assert.Equal("No such resource <b>", localizer["No such resource <b>"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void ChineseResources_TranslateEveryDomainMessage_FieldName_AndStep()
    {
        var chinese = Entries(new CultureInfo("zh-Hans"));
        string[] keys =
        [
            .. Constants(typeof(DomainMessages)), .. Constants(typeof(DomainFields)),
            .. Enum.GetNames<ComplaintStep>(), .. Enum.GetNames<RemedyType>(),
            .. Constants(typeof(Remediation.Domain.Reviews.ReviewMessages)), .. Constants(typeof(Remediation.Domain.Reviews.ReviewFields)),
            .. Enum.GetNames<Remediation.Domain.Reviews.ReviewStatus>().Select(s => "review:" + s), .. Enum.GetNames<Remediation.Domain.Reviews.ReviewOutcome>(),
            .. Enum.GetNames<Remediation.Domain.Reviews.CompensationKind>(), .. Enum.GetNames<Remediation.Domain.Payments.PaymentChannel>(),
            .. Enum.GetNames<Remediation.Domain.Reviews.ReviewClassification>(), .. Enum.GetNames<Remediation.Domain.Reviews.ReviewNoteKind>(),
            .. Enum.GetNames<Remediation.Domain.Reviews.OfferStatus>().Select(s => "offer:" + s),
            .. Enum.GetNames<Remediation.Domain.Reviews.CustomerAnswer>().Select(s => "answer:" + s),
        ];

        Assert.NotEmpty(Constants(typeof(DomainMessages))); // the reflection still finds the templates
        var missing = keys.Where(k => !chinese.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "No zh-Hans entry for: " + string.Join(" | ", missing));
    }

    [Fact]
    public void EnglishResources_ShowWords_ForEveryEnumValueAndFormKeyThePagesShow()
    {
        var english = Entries(CultureInfo.InvariantCulture);
        var chinese = Entries(new CultureInfo("zh-Hans"));
        string[] names =
        [
            .. Enum.GetNames<ComplaintStep>(), .. Enum.GetNames<ComplaintStatus>(), .. Enum.GetNames<ComplaintChannel>(),
            .. Enum.GetNames<ComplaintCategory>(), .. Enum.GetNames<ComplaintSeverity>(), .. Enum.GetNames<EmotionalState>(),
            .. Enum.GetNames<FollowUpMethod>(), .. Enum.GetNames<Remediation.Domain.Customers.PersonalityType>(),
            .. Enum.GetNames<Remediation.Domain.Customers.VipTier>(), .. Enum.GetNames<RemedyType>(),
            .. Enum.GetNames<CompensationMethod>(), .. Enum.GetNames<ApprovalState>(),
            .. Enum.GetNames<Remediation.Domain.Customers.BuyingBehaviour>(),
            .. Enum.GetNames<Remediation.Domain.Customers.ValueClass>().Select(v => "ValueClass." + v),
            .. Remediation.Portal.Complaints.ComplaintProcess.FormKeys.All,
        ];

        foreach (var name in names)
        {
            Assert.True(english.TryGetValue(name, out var text), $"No English entry for '{name}'");
            Assert.True(chinese.ContainsKey(name), $"No zh-Hans entry for '{name}'");
            // A key is shown as is only when it already is a plain word ("Vent", "Closed"); "InPerson", "complaint-vent" are not.
            Assert.False(RawKey().IsMatch(text), $"'{name}' is shown to English users as '{text}'");
        }
    }

    [GeneratedRegex(@"[a-z][A-Z]|^[a-z]+-[a-z-]+$")]
    private static partial Regex RawKey();

    [Fact]
    public void DomainException_IsShownInChinese_WithFieldNamesAndStepsTranslated_AndDataAsIs()
    {
        var localizer = SharedLocalizer();
        var now = DateTimeOffset.UtcNow;
        var amount = Assert.Throws<DomainException>(() => RemedyProposal.Create(RemedyType.Refund, null, null, "Broken", "u1", now));
        var required = Assert.Throws<DomainException>(() => VentRecord.Create(" ", ComplaintChannel.Phone, EmotionalState.Angry, null, "u1", now));
        var phone = Assert.Throws<DomainException>(() => PhoneNumber.Parse("12ab"));
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("此补救方式(退款)必须填写金额和币种。", localizer.Translate(amount));
            Assert.Equal("请填写“客户陈述”。", localizer.Translate(required));
            Assert.Equal("“电话” '12ab' 不是有效的电话号码。CN 以外的号码请以 + 和国家代码开头。", localizer.Translate(phone));

            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Customer's account is required.", localizer.Translate(required));
            Assert.Equal(required.Message, localizer.Translate(required));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static IStringLocalizer SharedLocalizer() =>
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
            .Create(typeof(SharedResource));

    private static List<string> Constants(Type type) =>
        [.. type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)];

    private static Dictionary<string, string> Entries(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static List<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order()];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
