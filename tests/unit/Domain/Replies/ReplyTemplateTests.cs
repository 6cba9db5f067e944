using Remediation.Domain;
using Remediation.Domain.Replies;
using Xunit;

namespace Remediation.UnitTests.Domain.Replies;

public sealed class ReplyTemplateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private static ReplyTemplate Create(string text, string name = "Sorry", string language = "en") =>
        ReplyTemplate.Create(ReplyStep.Apologise, language, name, text, "admin@demo.local", Now);

    [Fact]
    public void Parse_ReturnsEachNameInBraces_OnceInOrder_IgnoringBracesThatAreText()
    {
        var names = ReplyPlaceholders.Parse("Dear {customer}, about {reference} {customer}: { } {a b} {{}} {amount}.");

        Assert.Equal(["customer", "reference", "amount"], names);
    }

    [Fact]
    public void Create_KeepsTheKnownPlaceholders()
    {
        var template = Create("Dear {customer}, we refund {amount} on case {reference}. {handler}");

        Assert.Equal("Dear {customer}, we refund {amount} on case {reference}. {handler}", template.Text);
        Assert.Equal(ReplyStep.Apologise, template.Step);
        Assert.Equal("en", template.Language);
    }

    [Theory]
    [InlineData("Dear {custmer}, sorry.", "{custmer}")]
    [InlineData("Dear {Customer}, sorry.", "{Customer}")]
    [InlineData("{customer}: your {order} is on its way.", "{order}")]
    public void Create_RefusesAnUnknownPlaceholder_NamingIt(string text, string unknown)
    {
        var e = Assert.Throws<DomainException>(() => Create(text));

        Assert.Equal(DomainRules.InvalidFormat, e.Rule);
        Assert.Equal(DomainMessages.UnknownPlaceholder, e.Template);
        Assert.Equal($"The placeholder {unknown} is not known; use {{customer}}, {{reference}}, {{amount}}, {{handler}}.", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void Create_RefusesEmptyText(string text)
    {
        var e = Assert.Throws<DomainException>(() => Create(text));

        Assert.Equal(DomainRules.Required, e.Rule);
        Assert.Equal(new DomainText(DomainFields.TemplateText), e.Arguments[0]);
    }

    [Fact]
    public void Create_RefusesTextLongerThanTheCap_AndAcceptsTheCap()
    {
        Create(new string('x', ReplyTemplate.TextMaxLength));

        var e = Assert.Throws<DomainException>(() => Create(new string('x', ReplyTemplate.TextMaxLength + 1)));

        Assert.Equal(DomainMessages.TooLong, e.Template);
        Assert.Equal([new DomainText(DomainFields.TemplateText), ReplyTemplate.TextMaxLength], e.Arguments);
    }

    [Fact]
    public void Create_RefusesAnUnknownLanguage_AndAnEmptyName()
    {
        Assert.Equal(new DomainText(DomainFields.Language), Assert.Throws<DomainException>(() => Create("Sorry.", language: "fr")).Arguments[0]);
        Assert.Equal(new DomainText(DomainFields.Name), Assert.Throws<DomainException>(() => Create("Sorry.", name: " ")).Arguments[0]);
        Assert.Equal("zh-Hans", Create("抱歉。", language: "ZH-HANS").Language);
    }

    [Fact]
    public void Change_ThatFails_LeavesTheTemplateAsItWas()
    {
        var template = Create("Sorry, {customer}.");

        Assert.Throws<DomainException>(() => template.Change(ReplyStep.Probe, "en", "Other", "Hello {nobody}", "admin", Now));

        Assert.Equal((ReplyStep.Apologise, "Sorry", "Sorry, {customer}."), (template.Step, template.Name, template.Text));
    }

    [Fact]
    public void FillIn_ReplacesKnownValues_AndLeavesUnknownOnesVisible()
    {
        var template = Create("Dear {customer}, case {reference}: we refund {amount}. {handler}");

        var filled = template.FillIn(new ReplyValues("Wang Fang", "C-2026-000123", null, "  "));

        Assert.Equal("Dear Wang Fang, case C-2026-000123: we refund {amount}. {handler}", filled);
    }

    [Fact]
    public void Fill_DoesNotReadPlaceholdersInsideValues()
    {
        var filled = ReplyPlaceholders.Fill("{customer} / {reference}", new ReplyValues("{reference}", "C-1", "1.00 CNY", "Li Na"));

        Assert.Equal("{reference} / C-1", filled);
    }
}
