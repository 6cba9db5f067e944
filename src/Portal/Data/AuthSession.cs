using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Remediation.Portal.Data;

/// <summary>
/// A signed-in session: the sign-in cookie carries only <see cref="Id"/>, the ticket lives here
/// (<see cref="Infrastructure.DatabaseTicketStore"/>). Deleting the row ends the session on every portal process.
/// </summary>
public sealed class AuthSession
{
    public string Id { get; set; } = "";

    public string? UserId { get; set; }

    /// <summary>The serialized authentication ticket (claims and cookie properties).</summary>
    public byte[] Ticket { get; set; } = [];

    /// <summary>Sign-in time (UTC): the absolute lifetime counts from here and is not moved by sliding renewals.</summary>
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>When the row may be deleted (UTC): the earlier of the sliding expiry and the absolute end.</summary>
    public DateTime ExpiresAtUtc { get; set; }
}

public sealed class AuthSessionConfiguration : IEntityTypeConfiguration<AuthSession>
{
    public void Configure(EntityTypeBuilder<AuthSession> builder)
    {
        builder.ToTable("AuthSessions");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(64);
        builder.Property(e => e.UserId).HasMaxLength(450);
        builder.Property(e => e.Ticket).IsRequired();
        builder.HasIndex(e => e.ExpiresAtUtc);
    }
}
