using System.Diagnostics;
using OpenTelemetry;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Observability;

/// <summary>
/// Takes room ids out of the spans before any exporter sees them: a room id lets anyone take a seat, so it is a secret
/// (docs/architecture.md). ASP.NET Core's spans carry the request path (<c>/api/rooms/{id}/…</c>, <c>/rooms/{id}</c>)
/// and Orleans' carry grain ids (<c>room/{id}</c>); each room id in them becomes <c>{roomId}</c>. Runs as the first
/// processor of the tracer provider, on every span that ends.
/// </summary>
internal sealed class SecretScrubber : BaseProcessor<Activity>
{
    /// <summary>What a room id becomes.</summary>
    public const string Placeholder = "{roomId}";

    /// <summary>The tags that may hold a room id: a path, or a grain id.</summary>
    private static readonly string[] Tags = ["url.path", "orleans.rpc.target_id", "orleans.rpc.source_id", "orleans.grain.id"];

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var tag in Tags)
        {
            if (data.GetTagItem(tag) is string value && Scrub(value) is { } scrubbed)
            {
                data.SetTag(tag, scrubbed);
            }
        }

        if (Scrub(data.DisplayName) is { } name)
        {
            data.DisplayName = name;
        }
    }

    /// <summary>
    /// The text with each '/'-separated segment that is a room id (as <see cref="Secrets.NormalizeRoomId"/> reads one)
    /// replaced, or null when it holds none. Allocates only when it finds one: it runs on every span.
    /// </summary>
    internal static string? Scrub(string text)
    {
        if (text.Length < RoomIdLength)
        {
            return null;
        }

        System.Text.StringBuilder? scrubbed = null;
        var start = 0;
        while (start <= text.Length)
        {
            var slash = text.IndexOf('/', start);
            var end = slash < 0 ? text.Length : slash;
            var segment = text.AsSpan(start, end - start);
            if (IsRoomId(segment))
            {
                scrubbed ??= new System.Text.StringBuilder(text.Length).Append(text, 0, start);
                scrubbed.Append(Placeholder);
            }
            else
            {
                scrubbed?.Append(segment);
            }

            if (slash < 0)
            {
                break;
            }

            scrubbed?.Append('/');
            start = slash + 1;
        }

        return scrubbed?.ToString();
    }

    private const int RoomIdLength = 16;

    /// <summary>Crockford's base32, as room ids are written (<see cref="Secrets"/>).</summary>
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    private static bool IsRoomId(ReadOnlySpan<char> segment)
    {
        if (segment.Length != RoomIdLength)
        {
            return false;
        }

        foreach (var c in segment)
        {
            var ch = char.ToLowerInvariant(c) switch
            {
                'i' or 'l' => '1',
                'o' => '0',
                var other => other,
            };
            if (!Alphabet.Contains(ch, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
