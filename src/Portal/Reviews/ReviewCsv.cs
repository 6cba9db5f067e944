using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Remediation.Portal.Reviews;

/// <summary>A bad cell or row: the file's line (1 = the header), the column's header name, and the message (an English resource key).</summary>
public sealed record ImportError(int Line, string Column, string Message, params object[] Arguments);

/// <summary>One data row: the line it starts on, the review it gives, and what could not be read from it.</summary>
public sealed record CsvReviewRow(int Line, ReviewInput Input, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Reads reviews from CSV (docs/reviews.md, "CSV import"): a header row naming the columns (any order, case-insensitive),
/// then one review per record; quoted fields may hold commas and line breaks. UTF-8 with or without a byte-order mark, or
/// GB18030 (Chinese spreadsheet exports): a <c>charset</c> given with the upload wins, else a BOM, else the first 64 KB are
/// tried as strict UTF-8 and GB18030 is used when they are not. Rows are streamed: memory does not grow with the file.
/// </summary>
public static class ReviewCsv
{
    public static readonly string[] Columns =
        ["platform", "externalId", "rating", "text", "postedAt", "orderReference", "language", "customerName", "customerPhone", "customerEmail", "platformBuyerId"];
    public static readonly string[] RequiredColumns = ["platform", "externalId", "rating", "text", "postedAt"];

    static ReviewCsv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    /// <summary>The column a validation field (<see cref="ReviewIntake.Validate"/>) is read from.</summary>
    public static string ColumnOf(string field) => field switch
    {
        "customer.name" => "customerName",
        "customer.phone" => "customerPhone",
        "customer.email" => "customerEmail",
        "customer.platformBuyerId" => "platformBuyerId",
        _ => field,
    };

    /// <summary>Chooses the encoding of a seekable stream and leaves it where the text starts (after a UTF-8 BOM).</summary>
    public static Encoding DetectEncoding(Stream stream, string? charset)
    {
        if (!string.IsNullOrWhiteSpace(charset))
        {
            var name = charset.Trim().Trim('"');
            if (name.Equals("gb18030", StringComparison.OrdinalIgnoreCase) || name.Equals("gbk", StringComparison.OrdinalIgnoreCase)
                || name.Equals("gb2312", StringComparison.OrdinalIgnoreCase)) return Gb18030;
            if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)) return Utf8;
        }
        var buffer = new byte[64 * 1024];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0) read += n;
        stream.Position = 0;
        if (read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
        {
            stream.Position = 3; // the BOM is not part of the first column's name
            return Utf8;
        }
        return IsUtf8(buffer.AsSpan(0, read), complete: read < buffer.Length) ? Utf8 : Gb18030;
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static bool IsUtf8(ReadOnlySpan<byte> bytes, bool complete)
    {
        // A multi-byte sequence cut by the 64 KB window is not an error.
        if (!complete)
        {
            var cut = bytes.Length;
            for (var back = 1; back <= 3 && back <= bytes.Length; back++)
                if ((bytes[^back] & 0xC0) == 0xC0) { cut = bytes.Length - back; break; }
                else if ((bytes[^back] & 0x80) == 0) break;
            bytes = bytes[..cut];
        }
        return System.Text.Unicode.Utf8.IsValid(bytes);
    }

    /// <summary>The rows of the file, or one error row when the header lacks a required column.</summary>
    public static async IAsyncEnumerable<CsvReviewRow> ReadAsync(TextReader text, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.None,
        };
        using var csv = new CsvReader(text, configuration);
        if (!await csv.ReadAsync())
        {
            yield return new CsvReviewRow(1, new ReviewInput(), [new ImportError(1, "", "The file is empty; the first line must name the columns.")]);
            yield break;
        }
        csv.ReadHeader();
        var header = (csv.HeaderRecord ?? []).Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        var index = Columns.ToDictionary(c => c, c => Array.FindIndex(header, h => h.Equals(c, StringComparison.OrdinalIgnoreCase)));
        var missing = RequiredColumns.Where(c => index[c] < 0).ToList();
        if (missing.Count > 0)
        {
            yield return new CsvReviewRow(1, new ReviewInput(), missing.Select(c => new ImportError(1, c, "The column {0} is missing from the header line.", c)).ToList());
            yield break;
        }
        while (await csv.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            // The line the record starts on: where it ends, less the line breaks inside its quoted fields.
            var raw = csv.Parser.RawRecord.AsSpan().TrimEnd("\r\n");
            var line = csv.Parser.RawRow - raw.Count('\n');
            string? Cell(string column) => index[column] is var i and >= 0 && i < csv.Parser.Count ? csv.Parser[i] : null;
            if (Enumerable.Range(0, csv.Parser.Count).All(i => string.IsNullOrWhiteSpace(csv.Parser[i]))) continue;
            var errors = new List<ImportError>();
            var input = new ReviewInput
            {
                Platform = Cell("platform"), ExternalId = Cell("externalId"), Text = Cell("text"), OrderReference = Blank(Cell("orderReference")),
                Language = Blank(Cell("language")),
                Customer = new ReviewCustomerInput
                {
                    Name = Blank(Cell("customerName")), Phone = Blank(Cell("customerPhone")), Email = Blank(Cell("customerEmail")),
                    PlatformBuyerId = Blank(Cell("platformBuyerId")),
                },
            };
            var rating = Cell("rating")?.Trim();
            if (!string.IsNullOrEmpty(rating))
            {
                if (int.TryParse(rating, NumberStyles.None, CultureInfo.InvariantCulture, out var r)) input.Rating = r;
                else errors.Add(new(line, "rating", "Rating must be a whole number from 1 to 5, not '{0}'.", rating));
            }
            var posted = Cell("postedAt")?.Trim();
            if (!string.IsNullOrEmpty(posted))
            {
                if (DateTimeOffset.TryParse(posted, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at)) input.PostedAt = at;
                else errors.Add(new(line, "postedAt", "Posted at must be a date and time such as 2026-11-28 14:30 or 2026-11-28T14:30:00+08:00, not '{0}'.", posted));
            }
            yield return new CsvReviewRow(line, input, errors);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
