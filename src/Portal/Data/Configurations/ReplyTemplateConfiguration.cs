using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Remediation.Domain.Replies;
using static Remediation.Portal.Data.Configurations.DomainConverters;

namespace Remediation.Portal.Data.Configurations;

/// <summary>Canned replies; the picker reads one step's templates, so (Step, Language) is indexed.</summary>
internal sealed class ReplyTemplateConfiguration : IEntityTypeConfiguration<ReplyTemplate>
{
    public void Configure(EntityTypeBuilder<ReplyTemplate> builder)
    {
        builder.ToTable("ReplyTemplates");
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Step).HasConversion<string>().HasMaxLength(EnumLength);
        builder.Property(t => t.Language).HasMaxLength(8).IsRequired();
        builder.Property(t => t.Name).HasMaxLength(ReplyTemplate.NameMaxLength).IsRequired();
        builder.Property(t => t.Text).HasMaxLength(ReplyTemplate.TextMaxLength).IsRequired();
        builder.Property(t => t.ChangedAt).HasConversion(Utc);
        builder.Property(t => t.ChangedBy).HasMaxLength(UserIdLength).IsRequired();
        builder.HasIndex(t => new { t.Step, t.Language, t.Name }).IsUnique();
    }
}
