namespace Remediation.Domain.Payments;

/// <summary>How a compensation reaches the customer (具体赔付方式). <see cref="Parcel"/> sends goods; the others move money.</summary>
public enum PaymentChannel { RefundToOriginalPayment, Alipay, WeChatPay, BankTransfer, StoreCredit, Parcel }
