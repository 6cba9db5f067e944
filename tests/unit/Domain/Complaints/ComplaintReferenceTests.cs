using Xunit;
using Remediation.Domain;
using Remediation.Domain.Complaints;

namespace Remediation.UnitTests.Domain.Complaints;

public class ComplaintReferenceTests
{
    [Fact]
    public void ToString_FormatsYearAndSixDigitSequence()
    {
        Assert.Equal("C-2026-000123", new ComplaintReference(2026, 123).ToString());
    }

    [Theory]
    [InlineData("C-2026-000123", 2026, 123)]
    [InlineData(" c-2027-999999 ", 2027, 999999)]
    public void Parse_ReadsYearAndSequence(string text, int year, int sequence)
    {
        var reference = ComplaintReference.Parse(text);

        Assert.Equal(new ComplaintReference(year, sequence), reference);
    }

    [Theory]
    [InlineData("C-2026-123")]
    [InlineData("C-26-000123")]
    [InlineData("X-2026-000123")]
    [InlineData("C-2026-000000")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_Throws_WhenFormatWrong(string? text)
    {
        Assert.Equal(DomainRules.InvalidFormat, Assert.Throws<DomainException>(() => ComplaintReference.Parse(text)).Rule);
        Assert.False(ComplaintReference.TryParse(text, out _));
    }

    [Fact]
    public void Next_ContinuesSequence_WithinYear()
    {
        var next = ComplaintReference.Next(new ComplaintReference(2026, 41), new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal("C-2026-000042", next.ToString());
    }

    [Fact]
    public void Next_RestartsAtOne_InNewYear()
    {
        Assert.Equal("C-2027-000001",
            ComplaintReference.Next(new ComplaintReference(2026, 999), new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero)).ToString());
        Assert.Equal("C-2026-000001", ComplaintReference.Next(null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToString());
    }

    [Fact]
    public void Next_UsesUtcYear()
    {
        // 00:30 on 1 January in Beijing is still the old year in UTC.
        var receivedAt = new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(8));

        Assert.Equal(2026, ComplaintReference.Next(new ComplaintReference(2026, 5), receivedAt).Year);
    }

    [Fact]
    public void Next_Throws_WhenYearExhausted()
    {
        Assert.Throws<DomainException>(() =>
            ComplaintReference.Next(new ComplaintReference(2026, ComplaintReference.MaxSequence), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}
