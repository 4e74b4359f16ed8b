using CsCheck;

namespace PlanningPoker.Domain.Tests;

/// <summary>
/// <see cref="StoryText"/> and <see cref="SimilarityIndex{TKey}"/>: terms of French and English text, scores worked out
/// in each test from the formula (IDF = ln(1 + 10⁶ / df), cosine of TF·IDF vectors), a brute-force oracle on random
/// stories, and the properties users rely on (a story is its own best match, scores are symmetric, unrelated stories
/// change nothing).
/// </summary>
public sealed class SimilarityTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var n) ? n : 300;

    private static double Idf(int df) => Math.Log(1 + (1_000_000.0 / df));

    [Theory]
    [InlineData("Export invoices to PDF", "export invoic pdf")]
    [InlineData("Exporter les factures en PDF", "export factur pdf")]
    [InlineData("Créer un compte utilisateur", "creer compt utilisateur")]
    [InlineData("CREER UN COMPTE UTILISATEUR", "creer compt utilisateur")]
    [InlineData("L'utilisateur s'inscrit à l'événement", "utilisateur inscrit even")]
    [InlineData("Œuvres complètes", "oeuvr complet")]
    [InlineData("As a user, I want stories!", "user want story")]
    [InlineData("Exported / exporting: exports, exportation", "export export export export")]
    [InlineData("Login v2 (step 3)", "login v2 step 3")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void Terms_FoldCaseAccentsPunctuationStopWordsAndSuffixes(string? text, string expected) =>
        Assert.Equal(expected, string.Join(' ', StoryText.Terms(text)));

    [Theory]
    [InlineData("users", "user")]
    [InlineData("user", "user")]
    [InlineData("stories", "story")]
    [InlineData("status", "status")]
    [InlineData("class", "class")]
    [InlineData("travaux", "travau")]
    [InlineData("paiements", "paie")]
    [InlineData("page", "page")]
    [InlineData("pages", "page")]
    [InlineData("speed", "speed")]
    [InlineData("exporter", "export")]
    public void Stem_IsConservative(string word, string stem) => Assert.Equal(stem, StoryText.Stem(word));

    [Fact]
    public void Search_ScoresByCosineOfTfIdf_AsWorkedOutByHand()
    {
        // A: export invoic pdf; B: export invoic; C: import custom. df: export 2, invoic 2, pdf 1.
        // Query "Export invoices" (B's text) without B: A = (i2·i2 + i2·i2) / (√(2·i2²) · √(2·i2² + i1²)); C shares nothing.
        var index = new SimilarityIndex<string>();
        index.Add("A", "Export invoices to PDF");
        index.Add("B", "Export invoices");
        index.Add("C", "Import customers");
        var i1 = Idf(1);
        var i2 = Idf(2);
        var expected = 2 * i2 * i2 / (Math.Sqrt(2 * i2 * i2) * Math.Sqrt((2 * i2 * i2) + (i1 * i1)));

        var found = index.Search("Export invoices", null, top: 5, minScore: 0, skip: key => key == "B");

        var a = Assert.Single(found);
        Assert.Equal("A", a.Key);
        Assert.Equal(expected, a.Score, 12);
    }

    [Fact]
    public void Search_WeighsDescriptionTermsAtHalf_AndCountsUnknownQueryTermsAsRare()
    {
        // D: title "Facture PDF", description "envoi par courriel": factur 1, pdf 1, envoi 0.5, courriel 0.5, all df 1.
        // Query "Facture mensuelle": factur 1 (df 1), mensuel 1 (unknown, counted as df 1).
        // Score = i1² / (√2·i1 · √(2·i1² + 2·0.25·i1²)) = 1 / (√2 · √2.5).
        var index = new SimilarityIndex<int>();
        index.Add(1, "Facture PDF", "envoi par courriel");

        var found = index.Search("Facture mensuelle", null, top: 5, minScore: 0);

        Assert.Equal(1 / (Math.Sqrt(2) * Math.Sqrt(2.5)), Assert.Single(found).Score, 12);
    }

    [Fact]
    public void Search_MatchesFrenchAcrossAccentsAndPlurals()
    {
        var index = new SimilarityIndex<int>();
        index.Add(1, "Créer un compte utilisateur");
        index.Add(2, "Supprimer les comptes utilisateurs inactifs");
        index.Add(3, "Exporter les factures en PDF");

        var found = index.Search("creer des comptes", null, top: 5, minScore: 0.1);

        Assert.Equal([1, 2], found.Select(f => f.Key));
        Assert.True(found[0].Score > found[1].Score);
    }

    [Fact]
    public void Search_KeepsTopKAboveTheMinimum_AndTiesGoToTheStoryAddedLast()
    {
        var index = new SimilarityIndex<int>();
        index.Add(1, "Payment page");
        index.Add(2, "Payment page");
        index.Add(3, "Payment page redesign");
        index.Add(4, "Payment");

        var top2 = index.Search("Payment page", null, top: 2, minScore: 0);
        var strict = index.Search("Payment page", null, top: 10, minScore: 0.99);

        Assert.Equal([2, 1], top2.Select(f => f.Key));
        Assert.Equal([2, 1], strict.Select(f => f.Key));
        Assert.Empty(index.Search("Payment page", null, top: 0, minScore: 0));
        Assert.Empty(index.Search("le la les", null, top: 5, minScore: 0));
    }

    [Fact]
    public void Remove_And_Replace_ChangeWhatIsFound()
    {
        var index = new SimilarityIndex<int>();
        index.Add(1, "Payment page");
        index.Add(2, "Login page");

        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));
        index.Add(2, "Payment form");

        Assert.Equal(1, index.Count);
        Assert.Equal([2], index.Search("payment", null, 5, 0).Select(f => f.Key));
        Assert.Empty(index.Search("page", null, 5, 0));
        Assert.Equal(0, index.Idf("page"));
    }

    private static readonly string[] Vocabulary =
        ["export", "factures", "invoice", "pdf", "login", "compte", "user", "page", "paiement", "payment", "search", "recherche", "mobile", "api", "report", "rapport"];

    private static readonly string[] Unrelated = ["zebra", "quartz", "violon", "nuage", "glacier", "tambour"];

    private static readonly Gen<string> Title = Gen.Int[0, Vocabulary.Length - 1].Array[1, 5].Select(ws => string.Join(' ', ws.Select(w => Vocabulary[w])));

    private static readonly Gen<string[]> Titles = Title.Array[1, 25];

    private static SimilarityIndex<int> IndexOf(IEnumerable<string> titles)
    {
        var index = new SimilarityIndex<int>();
        foreach (var (title, i) in titles.Select((t, i) => (t, i)))
        {
            index.Add(i, title);
        }

        return index;
    }

    [Fact]
    public void Property_AStoryIsItsOwnBestMatch() =>
        Titles.Sample(titles =>
        {
            var index = IndexOf(titles);
            for (var i = 0; i < titles.Length; i++)
            {
                var found = index.Search(titles[i], null, titles.Length, 0);
                Assert.Equal(1.0, found.Single(f => f.Key == i).Score, 9);
                Assert.All(found, f => Assert.True(f.Score <= 1.0));
            }
        }, iter: Iterations, print: t => string.Join(" | ", t));

    [Fact]
    public void Property_ScoresAreSymmetric() =>
        Titles.Sample(titles =>
        {
            var index = IndexOf(titles);
            var scores = Enumerable.Range(0, titles.Length).Select(i => index.Search(titles[i], null, titles.Length, 0).ToDictionary(f => f.Key, f => f.Score)).ToArray();
            for (var i = 0; i < titles.Length; i++)
            {
                for (var j = 0; j < titles.Length; j++)
                {
                    Assert.Equal(scores[i].GetValueOrDefault(j), scores[j].GetValueOrDefault(i), 9);
                }
            }
        }, iter: Iterations, print: t => string.Join(" | ", t));

    [Fact]
    public void Property_UnrelatedStoriesChangeNoScoreNorOrder() =>
        Gen.Select(Titles, Gen.Int[0, Unrelated.Length - 1].Array[1, 4].Array[1, 30], Title).Sample(t =>
        {
            var (titles, others, query) = t;
            var index = IndexOf(titles);
            var before = index.Search(query, null, 10, 0);

            var id = titles.Length;
            foreach (var other in others)
            {
                index.Add(id++, string.Join(' ', other.Select(w => Unrelated[w])));
            }

            var after = index.Search(query, null, 10, 0);
            Assert.Equal(before.Select(f => f.Key), after.Select(f => f.Key));
            Assert.Equal(before.Select(f => f.Score), after.Select(f => f.Score));
        }, iter: Iterations);

    [Fact]
    public void Property_TopKAgreesWithABruteForceCosine() =>
        Gen.Select(Titles, Title, Gen.Int[1, 6], Gen.Double[0, 0.8]).Sample(t =>
        {
            var (titles, query, top, min) = t;
            var index = IndexOf(titles);
            var vectors = titles.Select(title => SimilarityIndex<int>.Weights(title, null)).ToArray();
            var df = vectors.SelectMany(v => v.Keys).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
            var q = SimilarityIndex<int>.Weights(query, null);
            double Weight(string term, double w) => w * Idf(df.GetValueOrDefault(term, 1));
            double Norm(IReadOnlyDictionary<string, double> v) => Math.Sqrt(v.Sum(kv => Math.Pow(Weight(kv.Key, kv.Value), 2)));
            var expected = vectors.Select((v, i) => (Key: i, Score: v.Keys.Intersect(q.Keys).Sum(k => Weight(k, v[k]) * Weight(k, q[k])) / (Norm(v) * Norm(q))))
                .Where(s => s.Score > 0 && s.Score >= min).OrderByDescending(s => s.Score).ThenByDescending(s => s.Key).Take(top).ToList();

            var found = index.Search(query, null, top, min);

            Assert.Equal(expected.Count, found.Count);
            for (var i = 0; i < found.Count; i++)
            {
                Assert.Equal(expected[i].Score, found[i].Score, 9);
            }
        }, iter: Iterations, print: t => $"{string.Join(" | ", t.Item1)} ? {t.Item2} top {t.Item3} min {t.Item4}");
}
