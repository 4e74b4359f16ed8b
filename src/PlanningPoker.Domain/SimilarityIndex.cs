namespace PlanningPoker.Domain;

/// <summary>A story found by <see cref="SimilarityIndex{TKey}.Search"/>, with its cosine score in ]0, 1].</summary>
/// <typeparam name="TKey">How the caller names stories.</typeparam>
/// <param name="Key">The story.</param>
/// <param name="Score">Cosine similarity of the two stories' TF-IDF vectors.</param>
public sealed record SimilarStory<TKey>(TKey Key, double Score);

/// <summary>
/// Finds the stories whose text is closest to a given one, with no service outside the process: each story is a
/// TF-IDF vector of its <see cref="StoryText.Terms"/> (title terms weigh 1, description terms
/// <see cref="DescriptionWeight"/>), compared by cosine; an inverted index (term → stories holding it) means a lookup
/// reads only the stories that share a term with the query.
/// </summary>
/// <remarks>
/// The inverse document frequency of a term is <c>ln(1 + <see cref="NominalCorpus"/> / df)</c>, df being the number of
/// stories holding it. The corpus size is a constant on purpose: the score of two stories then depends only on the
/// stories that share their terms, so adding unrelated stories changes no score (and no order). Not thread-safe: the
/// caller serialises writes and searches.
/// </remarks>
/// <typeparam name="TKey">How the caller names stories.</typeparam>
public sealed class SimilarityIndex<TKey>
    where TKey : notnull
{
    /// <summary>What a description's term weighs against a title's.</summary>
    public const double DescriptionWeight = 0.5;

    /// <summary>The description terms read, at most: a long description must not drown its title.</summary>
    public const int DescriptionTerms = 40;

    /// <summary>The corpus size of the IDF formula (see the remarks).</summary>
    public const double NominalCorpus = 1_000_000;

    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<List<Posting>> _postings = [];
    private readonly List<Document> _documents = [];
    private readonly Dictionary<TKey, int> _documentIds = [];

    /// <summary>Per term, the stories still holding it (its postings keep removed ones until the index is rebuilt).</summary>
    private readonly List<int> _live = [];

    /// <summary>A score per story, reused from one search to the next (hence not thread-safe).</summary>
    private double[] _scores = [];
    private bool _normsStale;

    /// <summary>The stories in the index.</summary>
    public int Count => _documentIds.Count;

    /// <summary>The IDF of a term (already stemmed), 0 for a term no story holds.</summary>
    public double Idf(string term) =>
        _termIds.TryGetValue(term, out var id) && _live[id] > 0 ? IdfOf(_live[id]) : 0;

    /// <summary>Adds a story, or replaces its text when the key is already there.</summary>
    public void Add(TKey key, string title, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        Remove(key);
        var weights = Weights(title, description);
        var terms = new List<(int Term, double Weight)>(weights.Count);
        var id = _documents.Count;
        foreach (var (term, weight) in weights)
        {
            if (!_termIds.TryGetValue(term, out var termId))
            {
                termId = _postings.Count;
                _termIds.Add(term, termId);
                _postings.Add([]);
                _live.Add(0);
            }

            _postings[termId].Add(new Posting(id, weight));
            _live[termId]++;
            terms.Add((termId, weight));
        }

        _documents.Add(new Document(key, [.. terms]));
        _documentIds.Add(key, id);
        _normsStale = true;
    }

    /// <summary>Removes a story; false when it was not there.</summary>
    public bool Remove(TKey key)
    {
        if (!_documentIds.Remove(key, out var id))
        {
            return false;
        }

        var document = _documents[id];
        document.Removed = true;
        foreach (var (term, _) in document.Terms)
        {
            _live[term]--;
        }

        _normsStale = true;
        return true;
    }

    /// <summary>Tells whether the story is in the index.</summary>
    public bool Contains(TKey key) => _documentIds.ContainsKey(key);

    /// <summary>
    /// The at most <paramref name="top"/> stories closest to the text, best first, each scoring at least
    /// <paramref name="minScore"/>, without those <paramref name="skip"/> names; equal scores go to the story added last.
    /// </summary>
    public IReadOnlyList<SimilarStory<TKey>> Search(string? title, string? description, int top, double minScore, Func<TKey, bool>? skip = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        if (top == 0)
        {
            return [];
        }

        RefreshNorms();
        var query = new List<(int Term, double Weight)>();
        var queryNorm = 0.0;
        foreach (var (term, weight) in Weights(title, description))
        {
            if (_termIds.TryGetValue(term, out var termId) && _live[termId] > 0)
            {
                var w = weight * IdfOf(_live[termId]);
                query.Add((termId, w));
                queryNorm += w * w;
            }

            // A term no story holds adds to the query's norm as if one story held it, so that "export invoices
            // to PDF" is less like "export invoices" than "export invoices" is.
            else
            {
                var w = weight * IdfOf(1);
                queryNorm += w * w;
            }
        }

        if (query.Count == 0)
        {
            return [];
        }

        queryNorm = Math.Sqrt(queryNorm);
        if (_scores.Length < _documents.Count)
        {
            _scores = new double[_documents.Count];
        }

        var touched = new List<int>();
        foreach (var (term, queryWeight) in query)
        {
            var idf = IdfOf(_live[term]);
            foreach (var posting in _postings[term])
            {
                var document = posting.Document;
                if (_documents[document].Removed)
                {
                    continue;
                }

                if (_scores[document] == 0)
                {
                    touched.Add(document);
                }

                _scores[document] += queryWeight * posting.Weight * idf;
            }
        }

        // A min-heap of the best so far: the worst (lowest score, then earliest added) leaves first.
        var best = new PriorityQueue<int, (double Score, int Document)>(top + 1);
        foreach (var document in touched)
        {
            var score = Math.Min(1.0, _scores[document] / (queryNorm * _documents[document].Norm));
            _scores[document] = 0;
            if (score >= minScore && (skip is null || !skip(_documents[document].Key)))
            {
                best.Enqueue(document, (score, document));
                if (best.Count > top)
                {
                    best.Dequeue();
                }
            }
        }

        var found = new SimilarStory<TKey>[best.Count];
        for (var i = found.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var document, out var priority);
            found[i] = new SimilarStory<TKey>(_documents[document].Key, priority.Score);
        }

        return found;
    }

    /// <summary>
    /// Term weights of a text before IDF: 1 per title occurrence, <see cref="DescriptionWeight"/> per occurrence in the
    /// first <see cref="DescriptionTerms"/> terms of the description.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Weights(string? title, string? description)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in StoryText.Terms(title))
        {
            weights[term] = weights.GetValueOrDefault(term) + 1;
        }

        foreach (var term in StoryText.Terms(description).Take(DescriptionTerms))
        {
            weights[term] = weights.GetValueOrDefault(term) + DescriptionWeight;
        }

        return weights;
    }

    private static double IdfOf(int documentFrequency) => Math.Log(1 + (NominalCorpus / Math.Max(1, documentFrequency)));

    private void RefreshNorms()
    {
        if (!_normsStale)
        {
            return;
        }

        foreach (var document in _documents)
        {
            if (document.Removed)
            {
                continue;
            }

            var sum = 0.0;
            foreach (var (term, weight) in document.Terms)
            {
                var w = weight * IdfOf(_live[term]);
                sum += w * w;
            }

            document.Norm = Math.Sqrt(sum);
        }

        _normsStale = false;
    }

    private readonly record struct Posting(int Document, double Weight);

    private sealed class Document(TKey key, (int Term, double Weight)[] terms)
    {
        public TKey Key { get; } = key;

        public (int Term, double Weight)[] Terms { get; } = terms;

        public double Norm { get; set; }

        public bool Removed { get; set; }
    }
}
