using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Replies;
using Remediation.Portal.Data;

namespace Remediation.Portal.Replies;

/// <summary>
/// Demo canned replies (with <c>Seed:DemoData</c>, into an empty table): two per step in English and Chinese, written
/// from the procedure's recommended phrases (docs/business.md). Admins change or delete them at /Admin/Replies.
/// </summary>
public static class ReplyTemplateSamples
{
    /// <summary>The demo templates: a few per step and language.</summary>
    public static readonly IReadOnlyList<(ReplyStep Step, string Language, string Name, string Text)> Samples =
    [
        (ReplyStep.Vent, "en", "Listened in full", "Let {customer} tell the whole story without interrupting. Facts confirmed for case {reference}: "),
        (ReplyStep.Vent, "en", "I understand", "I understand how you feel, {customer}. Please tell me everything; I am listening."),
        (ReplyStep.Vent, "zh-Hans", "完整倾听", "已让{customer}把情况讲完,中间没有打断。案件{reference}记录的事实:"),
        (ReplyStep.Vent, "zh-Hans", "表示理解", "{customer},我理解您的感受,请您慢慢说,我在认真听。"),

        (ReplyStep.Apologise, "en", "Sorry and thank you", "We're sorry we let you down, {customer}. Thank you for telling us: it helps us put this right."),
        (ReplyStep.Apologise, "en", "Sorry for the trouble", "Sorry for the trouble this has caused you. Thank you for pointing it out. I am {handler} and I will look after case {reference} myself."),
        (ReplyStep.Apologise, "zh-Hans", "致歉并感谢", "{customer},很抱歉我们让您感到失望了。谢谢您告诉我们,您的话提醒了我们!"),
        (ReplyStep.Apologise, "zh-Hans", "抱歉添麻烦", "抱歉给您造成了麻烦。我是{handler},案件{reference}由我亲自跟进,谢谢您的耐心。"),

        (ReplyStep.Probe, "en", "May I ask a few questions?", "To solve this for you as quickly as possible, may I ask you a few short questions?"),
        (ReplyStep.Probe, "en", "Repeat back", "Let me repeat what I understood, {customer}, so we are sure we agree: "),
        (ReplyStep.Probe, "zh-Hans", "请求提问", "为了尽快为您解决这个问题,我可以向您提几个小问题吗?"),
        (ReplyStep.Probe, "zh-Hans", "复述确认", "{customer},我复述一下我的理解,您看对不对:"),

        (ReplyStep.Propose, "en", "Partial refund", "The goods arrived damaged; we take responsibility and offer a partial refund of {amount} on case {reference}."),
        (ReplyStep.Propose, "en", "Replacement", "We take responsibility for the fault and will replace the goods for {customer} at no cost."),
        (ReplyStep.Propose, "zh-Hans", "部分退款", "商品到货时已损坏,我们承担责任,案件{reference}拟部分退款{amount}。"),
        (ReplyStep.Propose, "zh-Hans", "免费换货", "我们对问题负责,免费为{customer}更换商品。"),

        (ReplyStep.Confirm, "en", "Customer agrees", "Asked whether the solution would satisfy them, {customer} agreed to it ({amount})."),
        (ReplyStep.Confirm, "en", "Wants something else", "{customer} thanked us but would prefer another solution: "),
        (ReplyStep.Confirm, "zh-Hans", "顾客同意", "询问“请问这样解决,您还满意吗?”后,{customer}同意该方案({amount})。"),
        (ReplyStep.Confirm, "zh-Hans", "希望换个方案", "{customer}表示感谢,但希望换一种解决方式:"),

        (ReplyStep.FollowUp, "en", "Satisfied", "Called {customer} back about case {reference}: the remedy arrived and they are satisfied. Thanked them again."),
        (ReplyStep.FollowUp, "en", "Not reached", "Could not reach {customer} about case {reference}; a message was left with a number to call back."),
        (ReplyStep.FollowUp, "zh-Hans", "回访满意", "已回访{customer}(案件{reference}):补救已到位,顾客表示满意,再次表示感谢。"),
        (ReplyStep.FollowUp, "zh-Hans", "未联系上", "未能联系上{customer}(案件{reference}),已留言并告知回电号码。"),

        (ReplyStep.ReviewReply, "en", "Sorry, we will contact you", "Dear {customer}, thank you for your review, and we're sorry the product let you down. Our service team will contact you about order {reference} to put it right. {handler}"),
        (ReplyStep.ReviewReply, "en", "Thank you", "Thank you for your kind words, {customer}. We are glad you are happy with your order."),
        (ReplyStep.ReviewReply, "zh-Hans", "致歉并联系", "亲爱的{customer},感谢您的评价,很抱歉让您失望了。客服会就订单{reference}与您联系,尽快为您解决。——{handler}"),
        (ReplyStep.ReviewReply, "zh-Hans", "感谢好评", "{customer},谢谢您的肯定,很高兴您对这次购物满意!"),

        (ReplyStep.CustomerMessage, "en", "Compensation sent", "Dear {customer}, as agreed we have sent {amount} for order {reference}. Thank you for your patience. {handler}"),
        (ReplyStep.SupervisorNotes, "en", "Called and settled", "Called {customer} about case {reference}, apologised for the delay and agreed the remedy; they accepted. {handler}"),
        (ReplyStep.SupervisorNotes, "en", "Handed on", "The late step of case {reference} was handed to a colleague with time to finish it today. {handler}"),
        (ReplyStep.SupervisorNotes, "zh-Hans", "致电并解决", "已致电{customer}(案件{reference}),为延误致歉并商定补救方案,顾客已接受。——{handler}"),
        (ReplyStep.SupervisorNotes, "zh-Hans", "已转交", "案件{reference}的逾期步骤已转交给今天有时间完成的同事。——{handler}"),

        (ReplyStep.CustomerMessage, "zh-Hans", "补偿已发放", "{customer}您好,按照约定,我们已为订单{reference}发放{amount}。感谢您的耐心!——{handler}"),
    ];

    public static async Task SeedAsync(RemediationDbContext db, DateTimeOffset now, CancellationToken ct = default)
    {
        if (await db.Set<ReplyTemplate>().AnyAsync(ct)) return;
        foreach (var (step, language, name, text) in Samples) db.Add(ReplyTemplate.Create(step, language, name, text, "seed", now));
        await db.SaveChangesAsync(ct);
    }
}
