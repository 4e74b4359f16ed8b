using Microsoft.AspNetCore.Identity;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// Identity's rules for an account, plus one case of ours: an account made through a provider that vouched for no
/// email has none (an email nobody verified neither signs in nor blocks anyone's account). Such an account is checked
/// for a unique user name only; every account with an email gets Identity's full checks (unique email included).
/// </summary>
public sealed class AccountValidator(IdentityErrorDescriber? errors = null) : UserValidator<Account>(errors)
{
    /// <inheritdoc/>
    public override async Task<IdentityResult> ValidateAsync(UserManager<Account> manager, Account user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        if (user.Email is not null)
        {
            return await base.ValidateAsync(manager, user);
        }

        if (string.IsNullOrWhiteSpace(user.UserName))
        {
            return IdentityResult.Failed(Describer.InvalidUserName(user.UserName));
        }

        var owner = await manager.FindByNameAsync(user.UserName);
        return owner is not null && owner.Id != user.Id ? IdentityResult.Failed(Describer.DuplicateUserName(user.UserName)) : IdentityResult.Success;
    }
}
