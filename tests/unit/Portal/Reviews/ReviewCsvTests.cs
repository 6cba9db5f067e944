using System.Text;
using Remediation.Portal.Reviews;
using Xunit;

namespace Remediation.UnitTests.Portal.Reviews;

public sealed class ReviewCsvTests
{
    private const string Header = "platform,externalId,rating,text,postedAt,customerName,customerPhone\n";

    private static async Task<List<CsvReviewRow>> ReadAsync(byte[] bytes, string? charset = null)
    {
        using var stream = new MemoryStream(bytes);
        var encoding = ReviewCsv.DetectEncoding(stream, charset);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false);
        var rows = new List<CsvReviewRow>();
        await foreach (var row in ReviewCsv.ReadAsync(reader)) rows.Add(row);
        return rows;
    }

    [Fact]
    public async Task Read_Utf8WithoutBom_KeepsChineseText()
    {
        var rows = await ReadAsync(Encoding.UTF8.GetBytes(Header + "JD,j-1,1,水壶漏水,2026-11-20 10:00,李雷,+86 138 0000 0001\n"));
        var row = Assert.Single(rows);
        Assert.Equal(("水壶漏水", "李雷", 1), (row.Input.Text, row.Input.Customer.Name, row.Input.Rating!.Value));
        Assert.Empty(row.Errors);
    }

    [Fact]
    public async Task Read_Utf8WithBom_DoesNotLeakTheBomIntoTheFirstColumn()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "JD,j-1,5,好,2026-11-20 10:00,,\n")).ToArray();
        var row = Assert.Single(await ReadAsync(bytes));
        Assert.Equal("JD", row.Input.Platform);
    }

    [Fact]
    public async Task Read_Gb18030_IsDetectedWithoutACharset()
    {
        var bytes = ReviewCsv.Gb18030.GetBytes(Header + "Taobao,t-1,2,快递太慢了,2026-11-20 10:00,韩梅梅,\n");
        var row = Assert.Single(await ReadAsync(bytes));
        Assert.Equal(("快递太慢了", "韩梅梅"), (row.Input.Text, row.Input.Customer.Name));
    }

    [Fact]
    public async Task Read_QuotedCommasAndLineBreaks_StayInTheField_AndLinesCountFromTheFile()
    {
        var csv = Header + "JD,j-1,1,\"Broken, and\nlate\",2026-11-20 10:00,,\n" + "JD,j-2,x,Bad,2026-11-20 10:00,,\n";
        var rows = await ReadAsync(Encoding.UTF8.GetBytes(csv));
        Assert.Equal("Broken, and\nlate", rows[0].Input.Text);
        Assert.Equal([2, 4], rows.Select(r => r.Line));
        var error = Assert.Single(rows[1].Errors);
        Assert.Equal((4, "rating"), (error.Line, error.Column));
    }

    [Fact]
    public async Task Read_MissingRequiredColumn_IsOneErrorOnTheHeaderLine()
    {
        var row = Assert.Single(await ReadAsync(Encoding.UTF8.GetBytes("platform,externalId,text\nJD,1,x\n")));
        Assert.Equal(["rating", "postedAt"], row.Errors.Select(e => e.Column));
        Assert.All(row.Errors, e => Assert.Equal(1, e.Line));
    }

    [Fact]
    public async Task Read_BadDate_NamesTheColumn()
    {
        var row = Assert.Single(await ReadAsync(Encoding.UTF8.GetBytes(Header + "JD,j-1,3,ok,yesterday,,\n")));
        Assert.Equal("postedAt", Assert.Single(row.Errors).Column);
    }

    [Fact]
    public void Consistency_MedianRangeAndFlag()
    {
        var c = Consistency.Of([100m, 50m, 200m, 150m], 400m, "CNY");
        Assert.Equal((125m, 50m, 200m, 4), (c.Median!.Value, c.Min!.Value, c.Max!.Value, c.Count));
        Assert.True(c.Flagged);
        Assert.False(Consistency.Of([100m], 200m, "CNY").Flagged);
        Assert.False(Consistency.Of([], 1000m, "CNY").Flagged);
    }
}
