using AutoMapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Remediation.Portal.Data;

namespace Remediation.Portal.Pages.Admin.Users;

[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(RemediationDbContext db, IMapper mapper, TimeProvider clock) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    /// <summary>One flat row of the users table.</summary>
    public sealed class UserRow
    {
        public string Id { get; set; } = "";
        public string Email { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public bool IsDisabled { get; set; }
        public DateTimeOffset? LockoutEnd { get; set; }
        public IReadOnlyList<string> Roles { get; set; } = [];
    }

    public sealed class MappingProfile : Profile
    {
        public MappingProfile()
        {
            CreateMap<ApplicationUser, UserRow>()
                .ForMember(r => r.Email, o => o.MapFrom(u => u.Email ?? u.UserName ?? ""))
                .ForMember(r => r.Roles, o => o.Ignore()); // roles live in another table; filled in by the query below
        }
    }

    public bool IsLockedOut(UserRow row) => row.LockoutEnd > clock.GetUtcNow();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var roles = (await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            select new { ur.UserId, r.Name }).ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Name!);

        Users = [.. users.Select(u =>
        {
            var row = mapper.Map<UserRow>(u);
            row.Roles = [.. roles[u.Id].Order()];
            return row;
        })];
    }
}
