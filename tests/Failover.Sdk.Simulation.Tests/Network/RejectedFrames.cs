using System.Diagnostics.Metrics;

namespace Failover.Sdk.Simulation.Tests.Network;

/// <summary>
/// Counts the frames the agents' readers reject, by reason, from the SDK's
/// <c>failover.frame.rejected</c> counter. A simulation runs every agent on the thread that
/// runs it, so only that thread's measurements are counted: tests running in parallel
/// on other threads do not leak in.
/// </summary>
internal sealed class RejectedFrames : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private readonly Dictionary<string, long> _byReason = new(StringComparer.Ordinal);

    public RejectedFrames()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Failover.Sdk" && instrument.Name == "failover.frame.rejected")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Rejections for <paramref name="reason"/> (snake case, as the meter tags it: <c>replayed</c>).</summary>
    public long this[string reason] => _byReason.GetValueOrDefault(reason);

    public long Total => _byReason.Values.Sum();

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (Environment.CurrentManagedThreadId != _thread)
        {
            return;
        }

        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag is { Key: "failover.reject.reason", Value: string reason })
            {
                _byReason[reason] = _byReason.GetValueOrDefault(reason) + value;
            }
        }
    }
}
