using System.Text.Json;
using System.Text.Json.Serialization;
using PlanningPoker.Domain;

namespace PlanningPoker.Server.Rooms;

/// <summary>
/// How Domain commands and Contracts DTOs cross Orleans (grain calls and observer calls between nodes): as JSON.
/// The Domain carries no serialization attributes; this is where its wire shape is decided.
/// </summary>
public static class DomainJson
{
    /// <summary>The options: enums as strings, and <see cref="Deck"/> through its snapshot.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new DeckConverter() },
    };

    /// <summary>The types Orleans hands to the JSON codec.</summary>
    public static bool IsSupported(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Namespace is "PlanningPoker.Domain" or "PlanningPoker.Contracts";
    }

    private sealed class DeckConverter : JsonConverter<Deck>
    {
        public override Deck Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Deck.Restore(JsonSerializer.Deserialize<DeckSnapshot>(ref reader, options) ?? throw new JsonException("A deck is missing."));

        public override void Write(Utf8JsonWriter writer, Deck value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new DeckSnapshot(value.Type, value.RegularCards, value.Specials), options);
    }
}
