using System.Globalization;
using System.Text.RegularExpressions;

namespace PlanningPoker.Server.Tests.Observability;

/// <summary>One read of a Prometheus text exposition: each series' value, by metric name and labels.</summary>
public sealed partial class Scrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series = [];

    private Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SeriesPattern().Match(line);
            Assert.True(match.Success, $"not a Prometheus series: {line}");
            var labels = LabelPattern().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            _series.Add((match.Groups["name"].Value, labels, value));
        }
    }

    /// <summary>The exposition as it came.</summary>
    public string Text { get; }

    /// <summary>Reads the text of a scrape.</summary>
    public static Scrape Parse(string text) => new(text);

    /// <summary>True when some series has this name.</summary>
    public bool Has(string name) => _series.Exists(s => s.Name == name);

    /// <summary>The sum of the series of this name whose labels include the given ones (0 when none).</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>How much a series grew from <paramref name="before"/> to this scrape.</summary>
    public double Delta(Scrape before, string name, params (string Label, string Value)[] labels) =>
        Value(name, labels) - before.Value(name, labels);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$")]
    private static partial Regex SeriesPattern();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPattern();
}
