using System.ComponentModel.DataAnnotations;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.Tests.Security;

[Trait("Category", "Unit")]
public sealed class WebOptionsTests
{
    [Theory]
    [InlineData("https://poker.example")]
    [InlineData("https://poker.example/")]
    [InlineData("http://localhost:5080")]
    public void Validate_PublicBaseUrlIsASiteRoot_Passes(string url)
    {
        var options = new WebOptions { PublicBaseUrl = new Uri(url) };

        Assert.Empty(options.Validate(new ValidationContext(options)));
    }

    [Theory]
    [InlineData("https://poker.example/poker")]
    [InlineData("https://poker.example/?room=1")]
    [InlineData("ftp://poker.example")]
    [InlineData("https://user@poker.example")]
    public void Validate_PublicBaseUrlWithPathQuerySchemeOrUser_FailsNamingTheSetting(string url)
    {
        var options = new WebOptions { PublicBaseUrl = new Uri(url) };

        var error = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Contains("Web:PublicBaseUrl", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin.poker.example")]
    [InlineData("https://admin.poker.example/app")]
    [InlineData("null")]
    public void Validate_AllowedOriginThatIsNotAnOrigin_FailsNamingTheSetting(string origin)
    {
        var options = new WebOptions { AllowedOrigins = { origin } };

        var error = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Contains("Web:AllowedOrigins", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "/rooms/abc")]
    [InlineData("https://poker.example", "https://poker.example/rooms/abc")]
    [InlineData("https://poker.example:8443/", "https://poker.example:8443/rooms/abc")]
    public void LinkTo_RelativeWithoutPublicBaseUrl_AbsoluteOnIt(string? baseUrl, string expected)
    {
        var options = new WebOptions { PublicBaseUrl = baseUrl is null ? null : new Uri(baseUrl) };

        Assert.Equal(expected, options.LinkTo("rooms/abc"));
    }

    [Theory]
    [InlineData("https://Poker.Example", "https://poker.example:443")]
    [InlineData("http://poker.example:80", "http://poker.example:80")]
    [InlineData("null", null)]
    [InlineData("", null)]
    [InlineData("https://poker.example/path", null)]
    public void OriginParse_WritesEachOriginOneWay(string header, string? expected)
    {
        Assert.Equal(expected, Origin.Parse(header));
    }
}
