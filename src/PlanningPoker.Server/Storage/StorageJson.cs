using System.Text.Json.Serialization;
using PlanningPoker.Domain;

namespace PlanningPoker.Server.Storage;

/// <summary>A regular card in <c>rooms.deck_cards</c>: regular cards carry no kind.</summary>
/// <param name="Label">What the card shows.</param>
/// <param name="Value">Its numeric value, if any.</param>
internal sealed record DeckCardJson(string Label, decimal? Value);

/// <summary>
/// The JSON stored in text columns (<c>rooms.deck_cards</c>, <c>rounds.result_json</c>): snake_case names and enums
/// as text, like the columns around them, so that <c>result_json::jsonb -&gt;&gt; 'voter_count'</c> reads naturally.
/// Decimals keep their scale ("5" stays "5"), so values read back exactly.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RoundResult))]
[JsonSerializable(typeof(DeckCardJson[]))]
internal sealed partial class StorageJson : JsonSerializerContext;
