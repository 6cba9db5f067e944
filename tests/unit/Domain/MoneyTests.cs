using Remediation.Domain;
using Xunit;

namespace Remediation.UnitTests.Domain;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("10000000000000000")]
    [InlineData("-10000000000000000")]
    [InlineData("79228162514264337593543950335")]
    public void Create_RefusesAnAmount_WhenDecimal18_2CannotHoldIt(string amount)
    {
        var e = Assert.Throws<DomainException>(() => new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "CNY"));

        Assert.Equal(DomainMessages.AmountTooLarge, e.Template);
    }

    [Fact]
    public void Create_AcceptsTheLargestAmount_Decimal18_2Holds() =>
        Assert.Equal(Money.MaxAmount, new Money(9_999_999_999_999_999.99m, "CNY").Amount);
}

public sealed class PlainTextTests
{
    [Theory]
    [InlineData("Li\0Wei", true, false)]
    [InlineData("bell\u0007", true, false)]
    [InlineData("esc\u001b[31m", true, false)]
    [InlineData("line one\r\nline two\tend", true, true)]
    [InlineData("line one\nline two", false, false)]
    [InlineData("王芳 O'Brien", false, true)]
    public void IsClean_RefusesControlCharacters_AllowingTabsAndLineBreaksInMultiLineText(string text, bool multiLine, bool clean) =>
        Assert.Equal(clean, PlainText.IsClean(text, multiLine));
}
