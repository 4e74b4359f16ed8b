using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>axe-core on a page: WCAG 2.0, 2.1 and 2.2, levels A and AA.</summary>
internal static class Axe
{
    private static readonly AxeRunOptions Wcag = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    /// <summary>Runs axe on the page as it is; every violation, with where and why, goes to <paramref name="failures"/>.</summary>
    public static async Task CheckAsync(IPage page, string state, StringBuilder failures)
    {
        var result = await page.RunAxe(Wcag);
        Assert.NotEmpty(result.Passes); // axe ran on the page
        foreach (var violation in result.Violations)
        {
            failures.AppendLine(CultureInfo.InvariantCulture, $"[{state}] {violation.Id} ({violation.Impact}): {violation.Help}");
            foreach (var node in violation.Nodes)
            {
                var why = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message);
                failures.AppendLine(CultureInfo.InvariantCulture, $"    {node.Target} {node.Html}: {string.Join(" / ", why)}");
            }
        }
    }
}
