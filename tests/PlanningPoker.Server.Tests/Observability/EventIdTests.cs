using System.Reflection;
using Microsoft.Extensions.Logging;
using PlanningPoker.Server.Identity;

namespace PlanningPoker.Server.Tests.Observability;

/// <summary>The server's log events are told apart by their ids (docs/operations.md names them): no two share one.</summary>
public sealed class EventIdTests
{
    [Fact]
    public void EveryLogEvent_HasAnIdOfItsOwn()
    {
        var events = typeof(AccountsSetup).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        Assert.True(events.Count > 40, $"only {events.Count} log events found");
        var shared = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.True(shared.Count == 0, string.Join(Environment.NewLine, shared));
    }
}
