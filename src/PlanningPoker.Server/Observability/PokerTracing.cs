using System.Diagnostics;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;

namespace PlanningPoker.Server.Observability;

/// <summary>
/// The server's own activity source, <c>PlanningPoker</c>: one span per room command, inside the room grain, from the
/// Domain's decision to the commit (<c>poker.command</c>, named after the command type, e.g. <c>CastVote</c>). The hub
/// call around it is SignalR's own span, and the grain call between them Orleans' (<see cref="Telemetry"/>). Without a
/// listener, <see cref="StartCommand"/> returns null and costs a check.
/// </summary>
internal static class PokerTracing
{
    /// <summary>The activity source's name, for exporters and listeners.</summary>
    public const string SourceName = "PlanningPoker";

    /// <summary>The operation name of a command's span; its display name is the command type.</summary>
    public const string CommandActivity = "poker.command";

    /// <summary>The span tag of the command type.</summary>
    public const string CommandTag = "poker.command";

    /// <summary>The span tag of the outcome: <c>ok</c> or the error code.</summary>
    public const string OutcomeTag = "poker.outcome";

    /// <summary>The source.</summary>
    public static readonly ActivitySource Source = new(SourceName, "1.0");

    /// <summary>Starts the span of a room command, or returns null when nobody listens.</summary>
    public static Activity? StartCommand(RoomCommand command)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(CommandActivity, ActivityKind.Internal);
        if (activity is not null)
        {
            var type = command.GetType().Name;
            activity.DisplayName = type;
            activity.SetTag(CommandTag, type);
        }

        return activity;
    }

    /// <summary>Tags a command's span with its outcome; our own failures (not a refusal by the rules) mark it an error.</summary>
    public static void Ended(Activity activity, string outcome)
    {
        activity.SetTag(OutcomeTag, outcome);
        if (outcome is ErrorCodes.Unavailable or ErrorCodes.InternalError)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }
}
