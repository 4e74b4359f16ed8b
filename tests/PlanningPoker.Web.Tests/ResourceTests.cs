using System.Globalization;
using System.Resources;
using System.Xml.Linq;

namespace PlanningPoker.Web.Tests;

/// <summary>French and English are complete: the same keys, no empty text, and the same placeholders.</summary>
public sealed class ResourceTests
{
    [Fact]
    public void EveryStringExistsInBothLanguages_WithTheSamePlaceholders()
    {
        var english = Read("Strings.resx");
        var french = Read("Strings.fr.resx");

        Assert.Equal(english.Keys.Order(), french.Keys.Order());
        Assert.All(english, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), e.Key));
        Assert.All(french, f => Assert.False(string.IsNullOrWhiteSpace(f.Value), f.Key));
        Assert.All(english.Keys, key => Assert.Equal(Placeholders(english[key]), Placeholders(french[key])));
    }

    [Fact]
    public void TheCompiledFrenchResourcesAreLoaded()
    {
        var manager = new ResourceManager("PlanningPoker.Web.Client.Resources.Strings", typeof(Client.Strings).Assembly);

        Assert.Equal("Retourner les cartes", manager.GetString("Round.Reveal", CultureInfo.GetCultureInfo("fr")));
        Assert.Equal("Reveal the cards", manager.GetString("Round.Reveal", CultureInfo.GetCultureInfo("en")));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    public void EveryErrorCodeHasAText_WithItsLimitsFilledIn(string culture)
    {
        var manager = new ResourceManager("PlanningPoker.Web.Client.Resources.Strings", typeof(Client.Strings).Assembly);
        var codes = typeof(Contracts.ErrorCodes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.Name != nameof(Contracts.ErrorCodes.TypePrefix))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Contains(Contracts.ErrorCodes.InternalError, codes);
        Assert.All(codes, code =>
        {
            var text = manager.GetString($"Error.{code}", CultureInfo.GetCultureInfo(culture));
            Assert.False(string.IsNullOrWhiteSpace(text), code);
            var arguments = Client.Components.ErrorText.ArgumentsOf(code);
            Assert.Equal(arguments.Length, Placeholders(text!).Distinct().Count());
            Assert.DoesNotContain("{", string.Format(CultureInfo.GetCultureInfo(culture), text!, arguments), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void TheNameMessageSaysTheServersLimit()
    {
        var manager = new ResourceManager("PlanningPoker.Web.Client.Resources.Strings", typeof(Client.Strings).Assembly);
        var text = string.Format(CultureInfo.InvariantCulture, manager.GetString("Error.InvalidName", CultureInfo.GetCultureInfo("en"))!, Client.Components.ErrorText.ArgumentsOf("InvalidName"));

        Assert.Contains($"1 to {Contracts.Limits.DisplayNameLength} ", text, StringComparison.Ordinal);
        Assert.Contains($"1 to {Contracts.Limits.RoomNameLength})", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoTextHidesItsPluralBehindParentheses()
    {
        Assert.All(Read("Strings.resx"), e => Assert.DoesNotContain("(s)", e.Value, StringComparison.Ordinal));
        Assert.All(Read("Strings.fr.resx"), e => Assert.DoesNotContain("(s)", e.Value, StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(FindResources(), file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static string[] Placeholders(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order()];

    private static string FindResources()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "PlanningPoker.Web.Client", "Resources");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/PlanningPoker.Web.Client/Resources not found above " + AppContext.BaseDirectory);
    }
}
