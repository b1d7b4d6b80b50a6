using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// The events one invocation of <see cref="SimulatorBenchmarks"/> fires, or those per second
/// of wall time at the median. Both rows of a case fire the same count, which the host
/// process finds by running the (deterministic) scenario once itself.
/// </summary>
internal sealed class EventsColumn(bool perSecond) : IColumn
{
    private static readonly ConcurrentDictionary<int, long> Counts = new();

    public string Id => perSecond ? "EventsPerSecond" : "Events";

    public string ColumnName => perSecond ? "Events/s" : "Events";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => perSecond ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => perSecond
        ? "Events fired per second of wall time, at the median"
        : "Events fired per invocation (the simulator's Time.EventsRun; the baseline fires as many)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        int nodes = (int)benchmarkCase.Parameters["Nodes"];
        long events = Counts.GetOrAdd(nodes, n => SimulatorWorkload.CountEvents(SimulatorWorkload.FullMesh(n)));
        if (!perSecond)
        {
            return events.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }

        double? medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        return medianNs is > 0
            ? (events / (medianNs.Value / 1e9)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
            : "?";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
