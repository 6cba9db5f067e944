using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Remediation.Portal.Infrastructure;

/// <summary>Identity's validation messages (password rules, duplicates) through the shared resources.</summary>
public sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = l["The e-mail address {0} is already in use.", email] };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = l["The e-mail address {0} is already in use.", userName] };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = l["The e-mail address {0} is not valid.", email ?? ""] };

    public override IdentityError InvalidUserName(string? userName) =>
        new() { Code = nameof(InvalidUserName), Description = l["The e-mail address {0} is not valid.", userName ?? ""] };

    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = l["The password must be at least {0} characters long.", length] };

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = l["The password must contain a symbol (such as ! or #)."] };

    public override IdentityError PasswordRequiresDigit() =>
        new() { Code = nameof(PasswordRequiresDigit), Description = l["The password must contain a digit (0-9)."] };

    public override IdentityError PasswordRequiresLower() =>
        new() { Code = nameof(PasswordRequiresLower), Description = l["The password must contain a lower-case letter (a-z)."] };

    public override IdentityError PasswordRequiresUpper() =>
        new() { Code = nameof(PasswordRequiresUpper), Description = l["The password must contain an upper-case letter (A-Z)."] };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        new() { Code = nameof(PasswordRequiresUniqueChars), Description = l["The password must use at least {0} different characters.", uniqueChars] };
}
