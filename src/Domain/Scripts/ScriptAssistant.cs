using System.Text.RegularExpressions;
using Remediation.Domain.Complaints;

namespace Remediation.Domain.Scripts;

/// <summary>A phrase from the training material: the Chinese original and its English translation.</summary>
/// <param name="Step">The step it belongs to; null for phrases that apply throughout a call.</param>
public sealed record ScriptPhrase(string Chinese, string English, ComplaintStep? Step = null);

/// <summary>An avoided phrase found in a handler's text; <see cref="Index"/> and <see cref="Length"/> locate it.</summary>
public sealed record PhraseMatch(ScriptPhrase Phrase, string MatchedText, int Index, int Length);

/// <summary>
/// The script assistant for handlers (docs/business.md §1): the phrases to use at each
/// step and the ones to avoid. The portal flags avoided phrases as the handler types and re-checks
/// them on the server with <see cref="FindAvoidedPhrases"/>.
/// </summary>
public static class ScriptAssistant
{
    public static IReadOnlyList<ScriptPhrase> Recommended { get; } =
    [
        new("我理解您的感受", "I understand how you feel", ComplaintStep.Vent),
        new("我明白您的意思", "I see what you mean", ComplaintStep.Vent),
        new("是的,谁遇到这种情况都会不开心", "Yes, anyone would be upset by this", ComplaintStep.Vent),
        new("很抱歉我们让您感到失望了", "We're sorry we let you down", ComplaintStep.Apologise),
        new("抱歉给您造成了麻烦", "Sorry for the trouble we caused you", ComplaintStep.Apologise),
        new("您的话提醒了我们,谢谢!", "Thank you for pointing this out to us", ComplaintStep.Apologise),
        new("谢谢您提醒我们/告诉我们", "Thank you for reminding us / telling us", ComplaintStep.Apologise),
        new("为了尽快为您解决这个问题,我可以向您提几个小问题吗?", "So that we can solve this quickly, may I ask you a few short questions?", ComplaintStep.Probe),
        new("对不起,这超出了我的权限范围,虽然我帮不到您,但我会立即将问题反映给上级部门处理,您看这样好吗?",
            "I'm sorry, this is beyond my authority; I can't do it myself, but I will pass it to my supervisor straight away. Is that all right?", ComplaintStep.Propose),
        new("请问这样解决,您还满意吗?", "Would this solution satisfy you?", ComplaintStep.Confirm),
    ];

    /// <summary>Phrases to avoid at every step, with the fragments that betray them.</summary>
    public static IReadOnlyList<ScriptPhrase> Avoided => AvoidedPatterns.Select(p => p.Phrase).ToList();

    public static IReadOnlyList<ScriptPhrase> RecommendedFor(ComplaintStep step) => Recommended.Where(p => p.Step == step).ToList();

    /// <summary>
    /// Every occurrence of an avoided phrase in <paramref name="text"/>, in order of position.
    /// English is matched case-insensitively on word boundaries ("can't" also matches "can’t");
    /// Chinese as a substring, in simplified or traditional characters. Text in quotation marks (“…”, "…", 「…」, 『…』)
    /// is someone else's words being reported — typically the customer's — and is not checked.
    /// </summary>
    public static IReadOnlyList<PhraseMatch> FindAvoidedPhrases(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        // Same length as the input, so indexes stay valid against the original text.
        var normalised = text.Replace('’', '\'').Replace('‘', '\'');
        var quoted = QuotedSpans(text);
        var matches = new List<PhraseMatch>();
        foreach (var (phrase, pattern) in AvoidedPatterns)
            foreach (Match m in pattern.Matches(normalised))
                if (!quoted.Any(q => m.Index >= q.Start && m.Index < q.End))
                    matches.Add(new PhraseMatch(phrase, text.Substring(m.Index, m.Length), m.Index, m.Length));
        return matches.OrderBy(m => m.Index).ThenByDescending(m => m.Length).ToList();
    }

    /// <summary>Spans between an opening quotation mark and its closing one (an unclosed quote runs to the end).</summary>
    private static List<(int Start, int End)> QuotedSpans(string text)
    {
        var spans = new List<(int, int)>();
        for (var i = 0; i < text.Length; i++)
        {
            var close = text[i] switch { '“' => '”', '「' => '」', '『' => '』', '"' => '"', _ => '\0' };
            if (close == '\0') continue;
            var end = text.IndexOf(close, i + 1);
            if (end < 0) end = text.Length;
            spans.Add((i + 1, end));
            i = end;
        }
        return spans;
    }

    private static readonly IReadOnlyList<(ScriptPhrase Phrase, Regex Pattern)> AvoidedPatterns =
    [
        Avoid("你可能不明白", "you may not understand", ["你可能不明白"], ["you (?:may|might) not understand", "you probably don't understand"]),
        Avoid("你肯定弄混了", "you must be confused", ["你肯定弄混了", "你弄混了"], ["you must be confused", "you(?:'re| are) confused"]),
        Avoid("你应该", "you should", ["你应该", "你應該"], ["you should"]),
        Avoid("我们从没", "we never", ["我们从没", "我們從沒", "我们从来没", "我們從來沒"], ["we never", "we have never", "we've never"]),
        Avoid("我们不可能", "we can't possibly", ["我们不可能", "我們不可能"], ["we can't possibly", "we cannot possibly", "that's impossible"]),
        Avoid("你弄错了", "you're wrong", ["你弄错了", "你弄錯了", "你错了", "你錯了"], ["you're wrong", "you are wrong", "you've got it wrong"]),
        Avoid("你别激动", "calm down", ["你别激动", "你別激動", "别激动", "別激動"], ["calm down"]),
        Avoid("你不要叫", "stop shouting", ["你不要叫", "不要叫了"], ["stop shouting", "stop yelling", "don't shout"]),
        Avoid("我办不了,没办法", "I can't, nothing I can do", ["我办不了", "我辦不了", "没办法", "沒辦法"], ["i can't do (?:it|that|anything)", "nothing i can do", "there's nothing i can do"]),
        // Policy only when it is used to refuse ("it's company policy", "against our rules"), not "our policy allows a refund".
        Avoid("公司规定,我也没有办法", "company rules, I can't help",
            ["这是公司规定", "這是公司規定", "公司规定不", "公司規定不", "公司规定没", "公司規定沒", "我也没有办法", "我也沒有辦法"],
            ["(?:it's|it is|that's|that is|this is) (?:the |our )?(?:company )?(?:policy|rules?)",
             "(?:company|our) (?:policy|rules?) (?:doesn't|does not|don't|do not|won't|will not|says|forbids|prohibits)",
             "against (?:the |our )?(?:company )?(?:policy|rules)"]),
    ];

    private static (ScriptPhrase, Regex) Avoid(string chinese, string english, string[] chineseFragments, string[] englishPatterns)
    {
        var alternatives = chineseFragments.Select(Regex.Escape)
            .Concat(englishPatterns.Select(p => $@"\b{p}\b"));
        var pattern = new Regex(string.Join("|", alternatives),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        return (new ScriptPhrase(chinese, english), pattern);
    }
}
