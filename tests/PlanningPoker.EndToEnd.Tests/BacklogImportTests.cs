using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// A facilitator imports the backlog as Excel in French saves it (Windows-1252, semicolons, decimal commas): the
/// preview says what the file holds, the import fills the backlog, and importing it again adds nothing twice.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BacklogImportTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(360, 740, ColorScheme.Dark, "fr-FR")]
    [InlineData(360, 740, ColorScheme.Light, "en-US")]
    [InlineData(1280, 800, ColorScheme.Dark, "fr-FR")]
    [InlineData(1280, 800, ColorScheme.Light, "en-US")]
    public async Task AnExcelFileInFrench_IsPreviewedThenImported_AndImportedOnce(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = new FilePayload
        {
            Name = "backlog.csv",
            MimeType = "text/csv",
            Buffer = Encoding.GetEncoding(1252).GetBytes(
                "Clé;Résumé;Description;Points d'histoire\r\n" +
                "PAY-1;Page de connexion;\"Formulaire\r\nen deux étapes\";5\r\n" +
                "PAY-2;Créer un compte;;3,5\r\n" +
                "PAY-3;Réinitialiser le mot de passe;;\r\n" +
                ";;ligne sans titre;\r\n"),
        };
        var failures = new StringBuilder();
        var fanny = await PersonAsync(width, height, scheme, locale);
        await fanny.GotoAsync("/");
        await Browser.AppRunsAsync(fanny);
        await fanny.FillAsync("#room-name", "Import");
        await fanny.FillAsync("#your-name", "Fanny");
        await fanny.GetByRole(AriaRole.Button, new() { Name = T("Create the room", "Créer la salle") }).ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Import");

        await fanny.GetByText(T("Import a file (CSV)", "Importer un fichier (CSV)")).ClickAsync();
        await fanny.Locator("#import-file").SetInputFilesAsync(file);

        await Expect(fanny.Locator(".import-found")).ToContainTextAsync(T("3 stories found in backlog.csv", "3 user stories trouvées dans backlog.csv"));
        await Expect(fanny.Locator(".import-preview tbody tr")).ToHaveCountAsync(3);
        await Expect(fanny.Locator(".import-preview tbody tr").Nth(1)).ToContainTextAsync("Créer un compte");
        await Expect(fanny.Locator("#column-title")).ToHaveValueAsync("1");
        await fanny.Locator(".import-file").ScrollIntoViewIfNeededAsync();
        await Browser.ShotAsync(fanny, $"import-preview-{shot}");
        await Axe.CheckAsync(fanny, "a backlog file previewed", failures);

        await fanny.Locator("#import-go").ClickAsync();
        await Expect(fanny.Locator(".import-done")).ToContainTextAsync(T("Added: 3", "Ajoutées : 3"));
        await Expect(fanny.Locator(".story")).ToHaveCountAsync(3);
        await Expect(fanny.Locator(".story .key")).ToHaveTextAsync(["PAY-1", "PAY-2", "PAY-3"]);
        await Browser.ShotAsync(fanny, $"import-done-{shot}");

        await fanny.Locator("#import-file").SetInputFilesAsync(file);
        await fanny.Locator("#import-go").ClickAsync();
        await Expect(fanny.Locator(".import-done")).ToContainTextAsync(T("unchanged: 3", "inchangées : 3"));
        await Expect(fanny.Locator(".story")).ToHaveCountAsync(3);
        await Axe.CheckAsync(fanny, "a backlog imported", failures);
        Assert.True(failures.Length == 0, $"axe, {scheme} {locale}:{Environment.NewLine}{failures}");
    }
}
