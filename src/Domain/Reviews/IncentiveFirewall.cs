using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Remediation.Domain.Reviews;

/// <summary>What the text asks for: to change or remove a review, or praise in exchange for money or goods.</summary>
public enum IncentiveKind { ReviewChange, CashForPraise }

/// <summary>
/// A match: <see cref="Phrase"/> is the list entry (the words a reviewer of the refusal understands, e.g. 修改评价 or
/// "update your review"), <see cref="MatchedText"/> the text as written.
/// </summary>
public sealed record IncentiveMatch(string Phrase, IncentiveKind Kind, string MatchedText);

/// <summary>
/// The incentive firewall's text check (docs/business.md): a reply or message to a customer must not ask them to change,
/// delete or improve a review, nor offer anything for praise (US FTC 16 CFR 465, PRC E-Commerce Law art. 17, EU Omnibus
/// Directive). The caller refuses such text and audits the attempt. Pure: no state, no framework.
/// <para>The check reads the text the way an evasive writer cannot slip past easily: full-width letters and digits count
/// as plain ones (NFKC), case is ignored, and spaces and separators inside a phrase do not hide it (修 改 评 价, 删-差-评,
/// "Update  your REVIEW"). Sentence ends still separate phrases. Text in quotation marks (“…”, "…", 「…」, 『…』, ‘…’) or on
/// lines starting with "&gt;" is someone else's words — the customer's, quoted in a reply — and is not checked. Thanks for a
/// review ("thank you for your review", 感谢您的五星好评) are not a request.</para>
/// </summary>
public static partial class IncentiveFirewall
{
    private sealed record Rule(string Phrase, IncentiveKind Kind, Regex Pattern);

    // Patterns run on the normalized text: lower case, letters and digits only, sentence ends as '|'.
    private static readonly Rule[] Rules =
    [
        Phrase("修改评价", IncentiveKind.ReviewChange, "(修改|更改|更正|改动|编辑|改)(一下)?(您|你)?(的|这条|那条|该)?(差评|中评|评价|评论|评分)"),
        Phrase("删除差评", IncentiveKind.ReviewChange, "(删除|删掉|删|撤销|撤回|撤掉|去掉|取消|隐藏)(一下)?(您|你)?(的|这条|那条|该)?(差评|中评|评价|评论|评分)"),
        Phrase("删评", IncentiveKind.ReviewChange, "删评"),
        Phrase("改成好评", IncentiveKind.ReviewChange, "(改|换|变)(成|为)?(好评|五星|5星|满分)"),
        Phrase("追评", IncentiveKind.ReviewChange, "(追评|追加(好评|评价))"),
        Phrase("好评返现", IncentiveKind.CashForPraise, "(好评|五星|5星|晒图)(就|后|之后|即|可)?(返现|返利|返钱|有礼|送|奖励|红包|退款|补偿)"),
        Phrase("返现换好评", IncentiveKind.CashForPraise, "(返现|红包|退款|补偿|优惠券|礼品)(换|求|买|给)(好评|五星|5星)"),
        Phrase("五星好评", IncentiveKind.CashForPraise, "(五星|5星)好评"),
        Phrase("给个好评", IncentiveKind.ReviewChange, "(给|打|留|写)(我们)?(个|一个|条|一条)?(好评|五星|5星)"),
        Phrase("update your review", IncentiveKind.ReviewChange, "(update|change|edit|revise|amend|modify|correct|adjust|rewrite|reconsider)(your|the|this|that)(review|rating|feedback|comment|stars)"),
        Phrase("remove your review", IncentiveKind.ReviewChange, "(remove|delete|takedown|takeoff|withdraw|retract|hide)(your|the|this|that)(review|rating|feedback|comment)"),
        Phrase("change your rating", IncentiveKind.ReviewChange, "(raise|improve|upgrade|increase|bump|boost)(up)?(your|the|this|that)(review|rating|stars|score)"),
        Phrase("leave a 5-star review", IncentiveKind.ReviewChange, "(leave|give|post|write)(us)?(a|an)?(5|five|positive|good|better|glowing|great)(star)?(review|rating)"),
        Phrase("5-star review for a refund", IncentiveKind.CashForPraise, "(5|five|positive|good|better|glowing|great)(star)?(review|rating)(for|inexchangefor|andwe|andyouget|andget|toget)"),
        Phrase("refund for a review", IncentiveKind.CashForPraise, "(refund|cash|money|voucher|coupon|gift|compensation|discount|payment|reward)(for|inexchangefor|if)(a|your|the)?(positive|good|better|5star|fivestar|new|updated|changed)?(review|rating)"),
    ];

    /// <summary>Thanks for a review are not a request (checked just before a match).</summary>
    private static readonly string[] ThanksPrefixes = ["感谢您的", "感谢你的", "谢谢您的", "谢谢你的", "感谢您", "谢谢您", "thankyouforyour", "thanksforyour", "thankyouforthe", "thanksforthe"];

    /// <summary>The first request to change or remove a review, or the first offer for praise; null when the text has none.</summary>
    public static IncentiveMatch? Check(string? text) => FindAll(text).FirstOrDefault();

    /// <summary>Every match, in the order they appear.</summary>
    public static IReadOnlyList<IncentiveMatch> FindAll(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var (normalized, origin) = Normalize(WithoutQuotes(text));
        var matches = new List<(int Start, IncentiveMatch Match)>();
        foreach (var rule in Rules)
            foreach (Match m in rule.Pattern.Matches(normalized))
            {
                if (IsThanks(normalized, m.Index)) continue;
                var from = origin[m.Index];
                var to = origin[m.Index + m.Length - 1];
                matches.Add((m.Index, new IncentiveMatch(rule.Phrase, rule.Kind, text.Substring(from, to - from + 1))));
            }
        return matches.OrderBy(m => m.Start).Select(m => m.Match).DistinctBy(m => (m.Phrase, m.MatchedText)).ToList();
    }

    private static bool IsThanks(string normalized, int index) =>
        ThanksPrefixes.Any(prefix => index >= prefix.Length && string.CompareOrdinal(normalized, index - prefix.Length, prefix, 0, prefix.Length) == 0);

    /// <summary>Quoted passages and "&gt;" lines become spaces (same length, so positions still match the original).</summary>
    private static string WithoutQuotes(string text)
    {
        var result = QuotedLine().Replace(text, m => new string(' ', m.Length));
        return Quoted().Replace(result, m => new string(' ', m.Length));
    }

    /// <summary>Letters and digits (NFKC, lower case) and '|' at sentence ends; <c>origin[i]</c> is the source index of character i.</summary>
    private static (string Text, int[] Origin) Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c)) continue;
            var plain = c.ToString().Normalize(NormalizationForm.FormKC);
            foreach (var p in plain)
            {
                if (char.IsLetterOrDigit(p)) { builder.Append(char.ToLowerInvariant(p)); origin.Add(i); }
                else if (p is '.' or '!' or '?' or ';' or '。' or '\n' && (builder.Length == 0 || builder[^1] != '|')) { builder.Append('|'); origin.Add(i); }
            }
        }
        return (builder.ToString(), origin.ToArray());
    }

    private static Rule Phrase(string phrase, IncentiveKind kind, string pattern) =>
        new(phrase, kind, new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    [GeneratedRegex("“[^”]*”|\"[^\"]*\"|＂[^＂]*＂|「[^」]*」|『[^』]*』|‘[^’]*’|«[^»]*»", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^[ \t]*>.*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedLine();
}
