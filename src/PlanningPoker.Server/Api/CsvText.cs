using System.Globalization;
using CsvHelper;

namespace PlanningPoker.Server.Api;

/// <summary>The CSV the server's exports write: invariant culture, and cells a spreadsheet would run as formulas escaped (users' text goes in them).</summary>
internal static class CsvText
{
    /// <summary>The text <paramref name="write"/> writes.</summary>
    public static string Write(Action<CsvWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true))
        {
            write(csv);
        }

        return text.ToString();
    }
}
