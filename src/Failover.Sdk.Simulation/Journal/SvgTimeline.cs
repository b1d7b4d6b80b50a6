using System.Globalization;
using System.Text;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// Draws a run as a self-contained SVG (no external CSS, scripts or fonts): one lane per
/// node with its agent's condition (running, hung or paused, stopped), the faults that struck
/// it and what its agent noticed about its peers, under a lane for faults of the network
/// itself (switches, WAN links, partitions). Hovering a mark or a bar shows the full event.
/// </summary>
/// <remarks>
/// <para>
/// Frames are not drawn one by one; frames lost on the way to a node shade a thin strip on
/// its lane instead. A peer's first trust (the start-up handshake) is left out: every pair
/// has one, and they would bury the trusts that follow a suspicion.
/// </para>
/// <para>
/// The output depends on the scenario and the journal alone: the same journal gives the
/// same bytes on every machine. Elements a test or a script may look for: lanes are
/// <c>g.lane</c> with ids <c>lane-network</c> and <c>lane-node-{id}</c>; faults are
/// <c>g.fault</c>; marks are <c>g.mark</c> with one of the classes <c>suspect</c>,
/// <c>trust</c>, <c>restart</c>, <c>path-down</c> and <c>path-up</c>, and with coordination
/// <c>owns</c> (a term begun), <c>disowns</c> (a term ended), <c>lease-lost</c> and
/// <c>refused</c> (a write refused by a workload's fenced resource), on the owner's lane.
/// </para>
/// </remarks>
public static class SvgTimeline
{
    private const double MarginLeft = 10;
    private const double MarginRight = 24;
    private const double PixelsPerSecond = 40;
    private const double MinPlotWidth = 600;
    private const double MaxPlotWidth = 2000;
    private const double CharWidth = 5.6;
    private const double LabelCharWidth = 7;
    private const double AxisTop = 40;
    private const double LanesTop = AxisTop + 16;
    private const double FaultRowHeight = 15;
    private const double StatusHeight = 8;
    private const double LossHeight = 3;
    private const double MarkRowHeight = 13;
    private const int MaxMarkRows = 4;
    private const double BoldCharWidth = 6.6;
    private const double LossBucketWidth = 4;
    private const double ClusterWidth = 8;

    private const string Style =
        "text{font-family:sans-serif;font-size:10px;fill:#333}" +
        ".heading{font-size:14px;font-weight:bold}" +
        ".subheading{fill:#757575}" +
        ".lane-label{font-size:12px}" +
        ".node-kind{fill:#757575}" +
        ".lane-bg{fill:#fff}.lane-bg.odd{fill:#f6f7f9}" +
        ".grid{stroke:#e3e3e3;stroke-width:1}" +
        ".axis{stroke:#9e9e9e;stroke-width:1}" +
        ".tick-label{fill:#616161}" +
        ".running{fill:#43a047}.frozen{fill:#ffb300}.stopped{fill:#bdbdbd}" +
        ".fault rect,rect.fault-swatch{fill:#ffcdd2;stroke:#c62828;stroke-width:1}" +
        ".fault text{fill:#b71c1c}" +
        ".loss{fill:#e65100}" +
        ".suspect{fill:#d32f2f}.trust{fill:#2e7d32}.restart{fill:#1565c0}" +
        ".path-down,.path-up{fill:#fff;stroke:#7b1fa2;stroke-width:1.2}" +
        "text.path-down,text.path-up{fill:#7b1fa2;stroke:none}" +
        ".owns{fill:#00838f}.disowns{fill:#fff;stroke:#00838f;stroke-width:1.2}text.disowns{fill:#00838f;stroke:none}" +
        ".lease-lost{fill:#ef6c00}.refused{fill:#6a1b9a}" +
        ".mark-label{font-weight:bold}";

    /// <summary>The SVG document as a string.</summary>
    /// <param name="scenario">The scenario the journal ran: its nodes make the lanes and its duration the time axis.</param>
    /// <param name="journal">The run's journal.</param>
    /// <exception cref="ArgumentException">The journal names a node the scenario does not have.</exception>
    public static string Render(ScenarioDefinition scenario, SimulationJournal journal)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(journal);
        return new Drawing(scenario, journal).Render();
    }

    /// <summary>Writes the SVG document to <paramref name="writer"/>.</summary>
    /// <param name="scenario">The scenario the journal ran.</param>
    /// <param name="journal">The run's journal.</param>
    /// <param name="writer">Where the document goes; UTF-8 when saved to a file, as SVG expects.</param>
    /// <exception cref="ArgumentException">The journal names a node the scenario does not have.</exception>
    public static void Write(ScenarioDefinition scenario, SimulationJournal journal, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render(scenario, journal));
    }

    /// <summary>One rendering: lanes laid out first, since their heights depend on what they hold, then drawn.</summary>
    private sealed class Drawing
    {
        private readonly ScenarioDefinition _scenario;
        private readonly SimulationJournal _journal;
        private readonly StringBuilder _svg = new();
        private readonly List<SvgLane> _lanes = [];
        private readonly Dictionary<uint, SvgLane> _nodeLanes = [];
        private readonly TimeSpan _end;
        private readonly double _plotLeft;
        private readonly double _plotWidth;
        private readonly double _width;
        private double _lanesBottom;

        public Drawing(ScenarioDefinition scenario, SimulationJournal journal)
        {
            _scenario = scenario;
            _journal = journal;
            TimeSpan last = journal.Count == 0 ? TimeSpan.Zero : journal[^1].At;
            _end = last > scenario.Duration ? last : scenario.Duration;
            if (_end <= TimeSpan.Zero)
            {
                _end = TimeSpan.FromSeconds(1);
            }

            _lanes.Add(new SvgLane("lane-network", "network", null, null));
            foreach (NodeDefinition node in scenario.Nodes.OrderBy(n => n.Id))
            {
                var lane = new SvgLane(TimelineText.Invariant($"lane-node-{node.Id}"), TimelineText.Invariant($"node {node.Id}"), LaneKind(node), node.Id);
                _lanes.Add(lane);
                _nodeLanes.Add(node.Id, lane);
            }

            _plotLeft = MarginLeft + (_lanes.Max(l => l.Label.Length) * LabelCharWidth) + 14;
            _plotWidth = Math.Clamp(_end.TotalSeconds * PixelsPerSecond, MinPlotWidth, MaxPlotWidth);
            _width = Math.Ceiling(_plotLeft + _plotWidth + MarginRight);
        }

        public string Render()
        {
            Collect();
            Layout();
            double legendTop = _lanesBottom + 26;
            string legend = Legend(legendTop, out double legendBottom);
            double height = Math.Ceiling(legendBottom + 10);

            string duration = ((decimal)_end.Ticks / TimeSpan.TicksPerSecond).ToString("0.###", CultureInfo.InvariantCulture);
            _svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(_width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(_width)} {F(height)}\">\n");
            _svg.Append(CultureInfo.InvariantCulture, $"<title>Simulation timeline: seed {_scenario.Seed}, {_scenario.Nodes.Count} nodes, {duration} s</title>\n");
            _svg.Append(CultureInfo.InvariantCulture, $"<style>{Style}</style>\n");
            _svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(_width)}\" height=\"{F(height)}\" fill=\"#fff\"/>\n");
            _svg.Append(CultureInfo.InvariantCulture, $"<text class=\"heading\" x=\"{F(MarginLeft)}\" y=\"20\">Simulation timeline</text>\n");
            _svg.Append(CultureInfo.InvariantCulture, $"<text class=\"subheading\" x=\"{F(MarginLeft)}\" y=\"34\">seed {_scenario.Seed} · {_scenario.Nodes.Count} nodes · {duration} s · hover a bar or a mark for the event</text>\n");
            foreach ((SvgLane lane, int index) in _lanes.Select((l, i) => (l, i)))
            {
                DrawLaneBackground(lane, index);
            }

            DrawAxis();
            foreach (SvgLane lane in _lanes)
            {
                DrawLane(lane);
            }

            _svg.Append(legend);
            _svg.Append("</svg>\n");
            return _svg.ToString();
        }

        /// <summary>One pass over the journal: faults to their lanes, marks to their observers' lanes, losses to their targets' lanes.</summary>
        private void Collect()
        {
            foreach (FaultSpan span in FaultSpan.Pair(_journal))
            {
                Lane(span.Node).Faults.Add((span, 0));
            }

            foreach ((uint node, List<NodeConditionSpan> conditions) in NodeConditionSpan.Compute(_journal, _nodeLanes.Keys, _end))
            {
                _nodeLanes[node].Conditions = conditions;
            }

            int buckets = (int)Math.Ceiling(_plotWidth / LossBucketWidth);
            var firstContacts = new FirstContacts();
            foreach (JournalEntry entry in _journal)
            {
                if (entry is FrameLost lost)
                {
                    SvgLane target = Lane(lost.To);
                    target.Losses ??= new long[buckets];
                    target.Losses[Math.Min(buckets - 1, (int)(lost.At.Ticks * buckets / _end.Ticks))]++;
                    continue;
                }

                if (firstContacts.IsFirstContact(entry) || TimelineText.Describe(entry) is not { } line)
                {
                    continue;
                }

                if (SvgMark.For(entry, $"{TimelineText.Seconds(entry.At)} s  {line.Text}") is { } mark)
                {
                    Lane(mark.Observer).Marks.Add(mark.Mark);
                }
            }
        }

        private SvgLane Lane(uint? node)
        {
            if (node is not { } id)
            {
                return _lanes[0];
            }

            return _nodeLanes.TryGetValue(id, out SvgLane? lane)
                ? lane
                : throw new ArgumentException(TimelineText.Invariant($"The journal names node {id}, which the scenario does not have."));
        }

        /// <summary>Gives overlapping faults (bars or labels) rows of their own, then stacks the lanes.</summary>
        private void Layout()
        {
            double top = LanesTop;
            foreach (SvgLane lane in _lanes)
            {
                var rowEnds = new List<double>();
                for (int i = 0; i < lane.Faults.Count; i++)
                {
                    (double left, double right) = FaultExtent(lane.Faults[i].Span);
                    int row = rowEnds.FindIndex(end => end + 4 <= left);
                    if (row < 0)
                    {
                        row = rowEnds.Count;
                        rowEnds.Add(0);
                    }

                    rowEnds[row] = right;
                    lane.Faults[i] = (lane.Faults[i].Span, row);
                }

                lane.FaultRows = Math.Max(1, rowEnds.Count);
                ClusterMarks(lane);
                lane.Top = top;
                lane.Height = 4 + (lane.FaultRows * FaultRowHeight) + (lane.Node is null ? 2 : 3 + StatusHeight + 1 + LossHeight + 2 + (lane.MarkRows * MarkRowHeight) + 2);
                top += lane.Height;
            }

            _lanesBottom = top;
        }

        /// <summary>Where a fault's bar and label reach, left to right.</summary>
        private (double Left, double Right) FaultExtent(FaultSpan span)
        {
            (double barLeft, double barWidth, double labelLeft, double labelWidth) = FaultGeometry(span);
            return (Math.Min(barLeft, labelLeft), Math.Max(barLeft + barWidth, labelLeft + labelWidth));
        }

        /// <summary>The fault's bar, and its label: inside the bar where it fits, else after it, else before it.</summary>
        private (double BarLeft, double BarWidth, double LabelLeft, double LabelWidth) FaultGeometry(FaultSpan span)
        {
            double left = X(span.Injected);
            double width = Math.Max(2, X(span.Healed ?? _end) - left);
            double labelWidth = span.Fault.Describe().Length * CharWidth;
            double labelLeft =
                labelWidth + 6 <= width ? left + 3
                : left + width + 4 + labelWidth <= _width - 4 ? left + width + 4
                : Math.Max(MarginLeft, left - 4 - labelWidth);
            return (left, width, labelLeft, labelWidth);
        }

        private void DrawLaneBackground(SvgLane lane, int index)
        {
            _svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"lane-bg{(index % 2 == 1 ? " odd" : "")}\" x=\"0\" y=\"{F(lane.Top)}\" width=\"{F(_width)}\" height=\"{F(lane.Height)}\"/>\n");
        }

        private void DrawAxis()
        {
            TimeSpan step = TickStep();
            foreach (double y in (double[])[AxisTop + 12, _lanesBottom])
            {
                _svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{F(_plotLeft)}\" y1=\"{F(y)}\" x2=\"{F(_plotLeft + _plotWidth)}\" y2=\"{F(y)}\"/>\n");
            }

            for (TimeSpan at = TimeSpan.Zero; at <= _end; at += step)
            {
                double x = X(at);
                string label = ((decimal)at.Ticks / TimeSpan.TicksPerSecond).ToString("0.###", CultureInfo.InvariantCulture) + " s";
                _svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{F(x)}\" y1=\"{F(AxisTop + 8)}\" x2=\"{F(x)}\" y2=\"{F(_lanesBottom + 4)}\"/>\n");
                _svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick-label\" x=\"{F(x)}\" y=\"{F(AxisTop + 5)}\" text-anchor=\"middle\">{label}</text>\n");
                _svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick-label\" x=\"{F(x)}\" y=\"{F(_lanesBottom + 15)}\" text-anchor=\"middle\">{label}</text>\n");
            }
        }

        /// <summary>A round step that leaves at least 64 pixels between ticks.</summary>
        private TimeSpan TickStep()
        {
            long[] steps = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
            foreach (long ms in steps)
            {
                TimeSpan step = TimeSpan.FromMilliseconds(ms);
                if (X(step) - X(TimeSpan.Zero) >= 64)
                {
                    return step;
                }
            }

            TimeSpan hours = TimeSpan.FromHours(1);
            while (X(hours) - X(TimeSpan.Zero) < 64)
            {
                hours *= 2;
            }

            return hours;
        }

        private void DrawLane(SvgLane lane)
        {
            double faultsTop = lane.Top + 4;
            double statusTop = faultsTop + (lane.FaultRows * FaultRowHeight) + 3;
            string nodeAttribute = lane.Node is { } node ? TimelineText.Invariant($" data-node=\"{node}\"") : "";
            _svg.Append(CultureInfo.InvariantCulture, $"<g class=\"lane {(lane.Node is null ? "network" : "node")}\" id=\"{lane.Id}\"{nodeAttribute}>\n");
            double labelY = lane.Node is null ? faultsTop + 11 : statusTop + StatusHeight;
            string kind = lane.Kind is null ? "" : $" <tspan class=\"node-kind\">({Escape(lane.Kind)})</tspan>";
            _svg.Append(CultureInfo.InvariantCulture, $"<text class=\"lane-label\" x=\"{F(MarginLeft)}\" y=\"{F(labelY)}\">{Escape(lane.Name)}{kind}</text>\n");

            foreach (NodeConditionSpan span in lane.Conditions)
            {
                string condition = span.Condition switch
                {
                    NodeCondition.Running => "running",
                    NodeCondition.Frozen => "frozen",
                    _ => "stopped",
                };
                string what = span.Condition == NodeCondition.Frozen ? "hung or paused" : condition;
                _svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"status {condition}\" x=\"{F(X(span.From))}\" y=\"{F(statusTop)}\" width=\"{F(Math.Max(0.5, X(span.To) - X(span.From)))}\" height=\"{F(StatusHeight)}\">");
                _svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(lane.Name)} {what} from {TimelineText.Seconds(span.From)} s to {TimelineText.Seconds(span.To)} s</title></rect>\n");
            }

            DrawLosses(lane, statusTop + StatusHeight + 1);
            foreach ((FaultSpan span, int row) in lane.Faults)
            {
                DrawFault(span, faultsTop + (row * FaultRowHeight));
            }

            DrawMarks(lane, statusTop + StatusHeight + 1 + LossHeight + 2);
            _svg.Append(CultureInfo.InvariantCulture, $"</g>\n");
        }

        private void DrawLosses(SvgLane lane, double top)
        {
            if (lane.Losses is not { } losses)
            {
                return;
            }

            long most = _lanes.Max(l => l.Losses?.Max() ?? 0);
            double bucketWidth = _plotWidth / losses.Length;
            for (int i = 0; i < losses.Length; i++)
            {
                if (losses[i] > 0)
                {
                    double opacity = 0.2 + (0.8 * losses[i] / most);
                    _svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"loss\" x=\"{F(_plotLeft + (i * bucketWidth))}\" y=\"{F(top)}\" width=\"{F(bucketWidth)}\" height=\"{F(LossHeight)}\" opacity=\"{opacity.ToString("0.##", CultureInfo.InvariantCulture)}\"/>\n");
                }
            }
        }

        private void DrawFault(FaultSpan span, double top)
        {
            (double left, double width, double labelLeft, _) = FaultGeometry(span);
            string text = span.Fault.Describe();
            string until = span.Healed is { } healed
                ? $"{TimelineText.Seconds(healed)} s: {span.Fault.DescribeHeal()}"
                : "not healed by the end of the run";
            _svg.Append(CultureInfo.InvariantCulture, $"<g class=\"fault\" data-fault=\"{Escape(FaultKind(span.Fault))}\">");
            _svg.Append(CultureInfo.InvariantCulture, $"<title>{TimelineText.Seconds(span.Injected)} s: {Escape(text)}; {Escape(until)}</title>");
            _svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(width)}\" height=\"11\" rx=\"2\"/>");
            _svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(labelLeft)}\" y=\"{F(top + 9)}\">{Escape(text)}</text></g>\n");
        }

        private void DrawMarks(SvgLane lane, double top)
        {
            foreach (SvgMarkCluster cluster in lane.MarkClusters)
            {
                double middle = top + (cluster.Row * MarkRowHeight) + (MarkRowHeight / 2);
                foreach (SvgMark mark in cluster.Marks)
                {
                    double x = X(mark.At);
                    string shape = mark.Down
                        ? $"M{F(x - 4)},{F(middle - 4)}h8l-4,8z"
                        : $"M{F(x - 4)},{F(middle + 4)}h8l-4,-8z";
                    _svg.Append(CultureInfo.InvariantCulture, $"<g class=\"mark {mark.Class}\"><title>{Escape(mark.Title)}</title><path d=\"{shape}\"/></g>\n");
                }

                string anchor = cluster.LabelBefore ? " text-anchor=\"end\"" : "";
                double labelX = cluster.LabelBefore ? cluster.X - 6 : cluster.X + 6;
                _svg.Append(CultureInfo.InvariantCulture, $"<text class=\"mark-label {cluster.Marks[0].Class}\" x=\"{F(labelX)}\" y=\"{F(middle + 3.5)}\"{anchor}>{Escape(cluster.Label)}</text>\n");
            }
        }

        /// <summary>
        /// Groups a lane's marks into clusters and gives each the first row where its marker and
        /// label fit; a lane grows up to <see cref="MaxMarkRows"/> rows, and past that the
        /// emptiest row takes the overlap.
        /// </summary>
        private void ClusterMarks(SvgLane lane)
        {
            var rowEnds = new List<double>();
            int start = 0;
            while (start < lane.Marks.Count)
            {
                SvgMark first = lane.Marks[start];
                double x = X(first.At);
                int end = start + 1;
                while (end < lane.Marks.Count && lane.Marks[end].Family == first.Family && X(lane.Marks[end].At) - x <= ClusterWidth)
                {
                    end++;
                }

                List<SvgMark> marks = lane.Marks.GetRange(start, end - start);
                string label = SvgMarkCluster.LabelOf(marks);
                double labelWidth = label.Length * BoldCharWidth;
                bool before = x + 6 + labelWidth > _width - 4;
                (double from, double to) = before ? (x - 6 - labelWidth, X(marks[^1].At) + 4) : (x - 4, x + 6 + labelWidth);
                int row = rowEnds.FindIndex(e => e + 3 <= from);
                if (row < 0 && rowEnds.Count < MaxMarkRows)
                {
                    row = rowEnds.Count;
                    rowEnds.Add(0);
                }
                else if (row < 0)
                {
                    row = rowEnds.IndexOf(rowEnds.Min());
                }

                rowEnds[row] = Math.Max(to, X(marks[^1].At) + 4);
                lane.MarkClusters.Add(new SvgMarkCluster(marks, label, x, before, row));
                start = end;
            }

            lane.MarkRows = Math.Max(1, rowEnds.Count);
        }

        /// <summary>The key, drawn below the axis and wrapped to the drawing's width.</summary>
        private string Legend(double top, out double bottom)
        {
            var legend = new StringBuilder();
            (string Swatch, string Text)[] items =
            [
                ("<rect class=\"running\" x=\"0\" y=\"-7\" width=\"16\" height=\"8\"/>", "running"),
                ("<rect class=\"frozen\" x=\"0\" y=\"-7\" width=\"16\" height=\"8\"/>", "hung or paused"),
                ("<rect class=\"stopped\" x=\"0\" y=\"-7\" width=\"16\" height=\"8\"/>", "stopped (crashed)"),
                ("<rect class=\"fault-swatch\" x=\"0\" y=\"-9\" width=\"16\" height=\"11\" rx=\"2\"/>", "fault, until healed"),
                ("<rect class=\"loss\" x=\"0\" y=\"-4\" width=\"16\" height=\"3\"/>", "frames lost on the way to the node"),
                ("<path class=\"suspect\" d=\"M4,-7h8l-4,8z\"/>", "\u2193n suspects node n"),
                ("<path class=\"trust\" d=\"M4,1h8l-4,-8z\"/>", "\u2191n trusts node n again"),
                ("<path class=\"restart\" d=\"M4,1h8l-4,-8z\"/>", "\u2191n sees node n restarted"),
                ("<path class=\"path-down\" d=\"M4,-7h8l-4,8z\"/>", "\u2193n/p loses node n on path p"),
                ("<path class=\"path-up\" d=\"M4,1h8l-4,-8z\"/>", "\u2191n/p hears it again"),
            ];
            if (_lanes.Any(l => l.Marks.Any(m => m.Subject is not null)))
            {
                items =
                [
                    .. items,
                    ("<path class=\"owns\" d=\"M4,1h8l-4,-8z\"/>", "\u2191w#t owns workload w, fencing token t"),
                    ("<path class=\"disowns\" d=\"M4,-7h8l-4,8z\"/>", "\u2193w#t its term ends"),
                    ("<path class=\"lease-lost\" d=\"M4,-7h8l-4,8z\"/>", "\u2193lease n lost"),
                    ("<path class=\"refused\" d=\"M4,-7h8l-4,8z\"/>", "\u00D7w#t write refused by w's fenced resource"),
                ];
            }

            double x = MarginLeft;
            double y = top;
            legend.Append(TimelineText.Invariant($"<g class=\"legend\">\n"));
            foreach ((string swatch, string text) in items)
            {
                double width = 22 + (text.Length * CharWidth) + 18;
                if (x > MarginLeft && x + width > _width - MarginRight)
                {
                    x = MarginLeft;
                    y += 18;
                }

                legend.Append(TimelineText.Invariant($"<g transform=\"translate({F(x)},{F(y)})\">{swatch}<text x=\"22\" y=\"0\">{Escape(text)}</text></g>\n"));
                x += width;
            }

            legend.Append("</g>\n");
            bottom = y + 4;
            return legend.ToString();
        }

        private double X(TimeSpan at) => _plotLeft + (Math.Clamp((double)at.Ticks / _end.Ticks, 0, 1) * _plotWidth);

        private static string FaultKind(Fault fault) => fault.GetType().Name;

        private static string Escape(string text) => TimelineText.EscapeXml(text);

        private static string F(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
    }

    /// <summary>The node's role, and its kind when it is not a plain server (FS-2: metadata, shown, never acted on).</summary>
    private static string LaneKind(NodeDefinition node) =>
        node.Kind == NodeKind.Server ? node.Role.ToString() : $"{node.Role}, {node.Kind}";
}
