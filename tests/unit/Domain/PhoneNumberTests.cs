using Remediation.Domain;
using Xunit;

namespace Remediation.UnitTests.Domain;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13900001111")]
    [InlineData("+86 139-0000-1111")]
    [InlineData("+86 (139) 0000 1111")]
    [InlineData("139 0000 1111")]
    [InlineData("0086 139 0000 1111")]
    [InlineData("+8613900001111")]
    public void Parse_StoresEveryWritingOfOneMobileNumber_AsTheSameE164(string written)
    {
        Assert.Equal("+8613900001111", PhoneNumber.Parse(written).Value);
    }

    [Theory]
    [InlineData("010.6552.9988", "+861065529988")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("+1 (650) 253-0000", "+16502530000")]
    public void Parse_KeepsLandlinesAndForeignNumbers(string written, string e164)
    {
        Assert.Equal(e164, PhoneNumber.Parse(written).Value);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("call me")]
    [InlineData("138+0013")]
    [InlineData("1390000111")]       // one digit short of a mobile number
    [InlineData("+86 999 9999 9999")] // no such range
    public void Parse_RefusesWhatIsNotAPhoneNumber_NamingTheField(string written)
    {
        var error = Assert.Throws<DomainException>(() => PhoneNumber.Parse(written, "Customer phone"));

        Assert.Equal(DomainRules.InvalidFormat, error.Rule);
        Assert.Contains("Customer phone", error.Message);
        Assert.Contains(written, error.Message);
    }

    [Fact]
    public void Display_IsNationalForTheDefaultRegion_AndInternationalOtherwise()
    {
        Assert.Equal("139 0000 1111", PhoneNumber.Parse("+8613900001111").Display());
        Assert.Equal("+44 20 7946 0958", PhoneNumber.Parse("+442079460958").Display());
    }

    [Fact]
    public void UseDefaultRegion_RefusesAnUnknownRegion()
    {
        var error = Assert.Throws<ArgumentException>(() => PhoneNumber.UseDefaultRegion("XX"));
        Assert.Contains("Phones:DefaultRegion", error.Message);
        Assert.Equal("CN", PhoneNumber.DefaultRegion);
    }
}
