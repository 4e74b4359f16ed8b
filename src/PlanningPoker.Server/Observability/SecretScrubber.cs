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

    /// <summary>The text with each '/'-separated segment that is a room id replaced, or null when it holds none.</summary>
    internal static string? Scrub(string text)
    {
        if (text.Length < 16)
        {
            return null;
        }

        var segments = text.Split('/');
        var found = false;
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Length == 16 && Secrets.IsRoomId(Secrets.NormalizeRoomId(segments[i])))
            {
                segments[i] = Placeholder;
                found = true;
            }
        }

        return found ? string.Join('/', segments) : null;
    }
}
