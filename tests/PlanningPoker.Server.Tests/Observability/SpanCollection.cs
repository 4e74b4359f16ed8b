using System.Collections;
using System.Diagnostics;

namespace PlanningPoker.Server.Tests.Observability;

/// <summary>The spans an in-memory exporter hands over, safe to read while it writes, with a wait for a condition.</summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private TaskCompletionSource _arrival = NewSignal();

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        TaskCompletionSource arrived;
        lock (_spans)
        {
            _spans.Add(item);
            arrived = _arrival;
            _arrival = NewSignal();
        }

        arrived.TrySetResult();
    }

    /// <summary>Waits until the spans so far satisfy <paramref name="condition"/>, and returns them.</summary>
    public async Task<IReadOnlyList<Activity>> WaitUntilAsync(Func<IReadOnlyList<Activity>, bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Infrastructure.TestClient.Timeout);
        while (true)
        {
            Task next;
            lock (_spans)
            {
                var now = _spans.ToArray();
                if (condition(now))
                {
                    return now;
                }

                next = _arrival.Task;
            }

            try
            {
                await next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                lock (_spans)
                {
                    throw new TimeoutException("The spans never met the condition; got: " + string.Join(", ", _spans.Select(s => $"{s.Source.Name}:{s.DisplayName}")));
                }
            }
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
