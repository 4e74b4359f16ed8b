using System.Net;
using System.Net.Http.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>
/// Someone using the API from a browser: an HTTP client that keeps cookies (the sign-in) and sends the CSRF header,
/// as the app's pages do. <see cref="SignUpAsync"/> makes a local account with a unique email and signs in.
/// </summary>
public sealed class Person : IDisposable
{
    public const string Password = "correct horse battery";

    private Person(HttpClient http, string email)
    {
        Http = http;
        Email = email;
    }

    public HttpClient Http { get; }

    public string Email { get; }

    public AccountDto Account { get; private set; } = null!;

    public Guid Id => Account.Id;

    /// <summary>A client with a cookie jar and, unless told not to, the CSRF header.</summary>
    public static HttpClient Client(PokerApp app, bool csrfHeader = true)
    {
        ArgumentNullException.ThrowIfNull(app);
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        if (csrfHeader)
        {
            http.DefaultRequestHeaders.Add(SignInOptionsDto.CsrfHeader, "1");
        }

        return http;
    }

    /// <summary>A new person without an account.</summary>
    public static Person Anonymous(PokerApp app, string name = "Nobody") => new(Client(app), Unique(name));

    /// <summary>Signs up a new local account (a unique email from <paramref name="name"/>) and keeps its sign-in.</summary>
    public static async Task<Person> SignUpAsync(PokerApp app, string name)
    {
        var person = new Person(Client(app), Unique(name));
        var response = await person.Http.PostAsJsonAsync("/api/account/sign-up", new SignUpRequest(person.Email, Password, name), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        person.Account = (await response.Content.ReadFromJsonAsync<AccountDto>(Cancel))!;
        return person;
    }

    /// <summary>The same person signed in from another browser: a new cookie jar, the same account.</summary>
    public async Task<Person> SignInElsewhereAsync(PokerApp app)
    {
        var other = new Person(Client(app), Email) { Account = Account };
        var response = await other.Http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(Email, Password), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return other;
    }

    public void Dispose() => Http.Dispose();

    private static string Unique(string name) => $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
