using Microsoft.Extensions.Time.Testing;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that remembers the instant each grain timer was armed for, so that a test can
/// wait until code it cannot call synchronously (a one-way grain call) has armed its timer, then move time. Only
/// Orleans grain timers count: the silo's own loops arm timers on this clock too.
/// </summary>
public sealed class ArmedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset Deadline, TaskCompletionSource Armed)> _waiters = [];
    private readonly HashSet<DateTimeOffset> _deadlines = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (IsGrainTimer(callback, state))
        {
            timer = new Recording(this, timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once some grain timer has been armed to fire at <paramref name="deadline"/>.</summary>
    public Task WaitForTimerAtAsync(DateTimeOffset deadline)
    {
        lock (_gate)
        {
            if (_deadlines.Contains(deadline))
            {
                return Task.CompletedTask;
            }

            var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((deadline, armed));
            return armed.Task;
        }
    }

    private static bool IsGrainTimer(TimerCallback callback, object? state) =>
        (state?.GetType().FullName ?? callback.Target?.GetType().FullName ?? string.Empty).StartsWith("Orleans.Runtime.GrainTimer", StringComparison.Ordinal);

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        var deadline = GetUtcNow() + dueTime;
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _deadlines.Add(deadline);
            ready = [.. _waiters.Where(w => w.Deadline == deadline).Select(w => w.Armed)];
            _waiters.RemoveAll(w => w.Deadline == deadline);
        }

        foreach (var armed in ready)
        {
            armed.TrySetResult();
        }
    }

    private sealed class Recording(ArmedClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
