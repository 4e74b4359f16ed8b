using Microsoft.Extensions.Localization;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>People's names as the app shows them: a deleted account's "Former member" in the reader's language.</summary>
public static class Names
{
    /// <summary>The name to show for <paramref name="name"/>.</summary>
    public static string Shown(string name, Func<string, string> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FormerMember.SuffixOf(name) is { } number ? text("Common.FormerMember") + number : name;
    }

    /// <summary>The name to show for <paramref name="name"/>.</summary>
    public static string Shown(string name, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Shown(name, key => text[key]);
    }
}
