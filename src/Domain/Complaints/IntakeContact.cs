namespace Remediation.Domain.Complaints;

/// <summary>
/// What the phone script collects and reads back to the customer (docs/business.md §4): contact name,
/// phone, goods and order, pickup address and delivery address.
/// </summary>
public sealed record IntakeContact
{
    public string ContactName { get; private init; } = null!;
    public PhoneNumber Phone { get; private init; } = null!;
    public string? Goods { get; private init; }
    /// <summary>The product or order reference the complaint is about; with the phone it detects duplicates.</summary>
    public string? OrderReference { get; private init; }
    public string? PickupAddress { get; private init; }
    public string? DeliveryAddress { get; private init; }

    private IntakeContact() { }

    public static IntakeContact Create(string contactName, string phone, string? goods = null, string? orderReference = null,
        string? pickupAddress = null, string? deliveryAddress = null) => new()
    {
        ContactName = Guard.Required(contactName, DomainFields.ContactName, 200, multiLine: false),
        Phone = PhoneNumber.Parse(phone),
        Goods = Guard.Optional(goods, DomainFields.Goods, 500, multiLine: false),
        OrderReference = Guard.Optional(orderReference, DomainFields.OrderReference, 64, multiLine: false),
        PickupAddress = Guard.Optional(pickupAddress, DomainFields.PickupAddress, 500),
        DeliveryAddress = Guard.Optional(deliveryAddress, DomainFields.DeliveryAddress, 500),
    };
}
