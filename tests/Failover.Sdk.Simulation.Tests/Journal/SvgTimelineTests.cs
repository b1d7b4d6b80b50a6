using System.Xml.Linq;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;
using static Failover.Sdk.Simulation.Tests.Journal.TimelineRun;

namespace Failover.Sdk.Simulation.Tests.Journal;

/// <summary>The SVG timeline of a real run: well-formed, a lane per node, a bar per fault, a mark per suspicion, the same bytes every time.</summary>
public sealed class SvgTimelineTests : IClassFixture<TimelineRun>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TimelineRun _run;

    public SvgTimelineTests(TimelineRun run) => _run = run;

    private static bool HasClass(XElement element, string name) =>
        ((string?)element.Attribute("class") ?? "").Split(' ').Contains(name);

    private static IEnumerable<XElement> Groups(XContainer root, string name) =>
        root.Descendants(Svg + "g").Where(g => HasClass(g, name));

    private static XElement Lane(XDocument svg, string id) =>
        Assert.Single(Groups(svg, "lane"), g => (string?)g.Attribute("id") == id);

    private static string Title(XElement element) => element.Element(Svg + "title")!.Value;

    private XDocument Parse() => XDocument.Parse(SvgTimeline.Render(_run.Scenario, _run.Journal));

    [Fact]
    public void Svg_has_a_labelled_lane_per_node_under_the_network_lane()
    {
        XDocument svg = Parse();

        Assert.Equal(Svg + "svg", svg.Root!.Name);
        XElement[] lanes = [.. Groups(svg, "lane")];
        Assert.Equal(_run.Scenario.Nodes.Count + 1, lanes.Length);
        Assert.Equal("lane-network", (string?)lanes[0].Attribute("id"));
        foreach (NodeDefinition node in _run.Scenario.Nodes)
        {
            XElement lane = Lane(svg, $"lane-node-{node.Id}");
            Assert.Equal($"node {node.Id} ({node.Role})", lane.Elements(Svg + "text").First().Value);
        }

        Assert.Equal("node 3 (Application)", Lane(svg, "lane-node-3").Elements(Svg + "text").First().Value);
    }

    [Fact]
    public void Every_fault_has_a_bar_on_the_lane_it_strikes()
    {
        XDocument svg = Parse();
        FaultInjected[] faults = [.. _run.Journal.OfType<FaultInjected>()];

        Assert.Equal(faults.Length, Groups(svg, "fault").Count());
        Assert.Equal(5, faults.Length);
        foreach (FaultInjected injected in faults)
        {
            string laneId = injected.Fault switch
            {
                NodeCrash f => $"lane-node-{f.Node}",
                NicFailure f => $"lane-node-{f.Node}",
                ProcessHang f => $"lane-node-{f.Node}",
                _ => "lane-network",
            };
            XElement bar = Assert.Single(Groups(Lane(svg, laneId), "fault"), g => g.Element(Svg + "text")!.Value == injected.Fault.Describe());
            FaultHealed healed = Assert.Single(_run.Journal.OfType<FaultHealed>(), h => ReferenceEquals(h.Fault, injected.Fault));
            Assert.Equal($"{Secs(injected.At)} s: {injected.Fault.Describe()}; {Secs(healed.At)} s: {injected.Fault.DescribeHeal()}", Title(bar));
        }
    }

    [Fact]
    public void Every_suspicion_restart_and_later_trust_has_a_mark_on_its_observers_lane()
    {
        XDocument svg = Parse();
        PeerSuspected[] suspicions = [.. _run.Journal.OfType<PeerSuspected>()];
        HashSet<JournalEntry> firstContacts = FirstContacts(_run.Journal);

        Assert.NotEmpty(suspicions);
        Assert.Equal(suspicions.Length, Groups(svg, "suspect").Count());
        Assert.Equal(_run.Journal.OfType<PeerRestarted>().Count(), Groups(svg, "restart").Count());
        Assert.Equal(_run.Journal.OfType<PeerTrusted>().Count(e => !firstContacts.Contains(e)), Groups(svg, "trust").Count());
        foreach (NodeDefinition node in _run.Scenario.Nodes)
        {
            string[] expected = [.. suspicions
                .Where(e => e.Observer == node.Id)
                .Select(e => $"{Secs(e.At)} s  node {e.Observer} suspects node {e.Peer} (silent {Millis(e.Silence)})")];
            string[] titles = [.. Groups(Lane(svg, $"lane-node-{node.Id}"), "suspect").Select(Title)];
            Assert.Equal(expected, titles);
        }
    }

    [Fact]
    public void Status_bars_show_the_crash_and_the_hang()
    {
        XDocument svg = Parse();
        string[] node3 = [.. Lane(svg, "lane-node-3").Elements(Svg + "rect").Where(r => HasClass(r, "status")).Select(Title)];
        string[] node4 = [.. Lane(svg, "lane-node-4").Elements(Svg + "rect").Where(r => HasClass(r, "status")).Select(Title)];

        Assert.Equal(["node 3 running from 0.000 s to 5.000 s", "node 3 stopped from 5.000 s to 10.000 s", "node 3 running from 10.000 s to 24.000 s"], node3);
        Assert.Equal(["node 4 running from 0.000 s to 14.000 s", "node 4 hung or paused from 14.000 s to 16.000 s", "node 4 running from 16.000 s to 24.000 s"], node4);
    }

    [Fact]
    public void Same_run_gives_the_same_bytes_in_any_culture()
    {
        string first = SvgTimeline.Render(_run.Scenario, _run.Journal);
        string again = InCulture("de-DE", () => SvgTimeline.Render(_run.Scenario, _run.Journal));
        var rerun = new TimelineRun();
        string replayed = InCulture("fr-FR", () => SvgTimeline.Render(rerun.Scenario, rerun.Journal));

        Assert.Equal(first, again);
        Assert.Equal(first, replayed);
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        SvgTimeline.Write(_run.Scenario, _run.Journal, writer);
        Assert.Equal(first, writer.ToString());
    }

    [Fact]
    public void Names_with_markup_characters_render_as_valid_xml()
    {
        const string name = "a<&>\"b";
        ScenarioDefinition scenario = Scenario.Create(3)
            .Lan("lan").Switch(name, "lan").Switch("x\u0001'y", "lan")
            .Node(1, NodeRole.Application, new NicDefinition(1, name))
            .Node(2, NodeRole.Manager, new NicDefinition(1, name), new NicDefinition(2, "x\u0001'y"))
            .FailSwitch(name, at: Seconds(1), lasting: Seconds(1))
            .FailSwitch("x\u0001'y", at: Seconds(1.5))
            .Lasting(Seconds(3))
            .Build();
        using var simulation = new Simulation(scenario);

        XDocument svg = XDocument.Parse(SvgTimeline.Render(scenario, simulation.Run()));

        XElement[] bars = [.. Groups(Lane(svg, "lane-network"), "fault")];
        Assert.Equal(["switch a<&>\"b fails", "switch x\uFFFD'y fails"], bars.Select(b => b.Element(Svg + "text")!.Value));
        Assert.Equal("1.000 s: switch a<&>\"b fails; 2.000 s: switch a<&>\"b repaired", Title(bars[0]));
        Assert.Equal("1.500 s: switch x\uFFFD'y fails; not healed by the end of the run", Title(bars[1]));
    }

    [Fact]
    public void Path_events_draw_path_marks()
    {
        ScenarioDefinition scenario = Scenario.Create(1).SingleLan(3).Lasting(Seconds(10)).Build();
        var journal = new SimulationJournal();
        journal.Add(new PathSuspected(Seconds(2), Observer: 1, Peer: 2, Path: 1, Seconds(0.3)));
        journal.Add(new PathSuspected(Seconds(2.001), Observer: 1, Peer: 3, Path: 1, Seconds(0.3)));
        journal.Add(new PathTrusted(Seconds(6), Observer: 1, Peer: 2, Path: 1));

        XDocument svg = XDocument.Parse(SvgTimeline.Render(scenario, journal));

        XElement lane = Lane(svg, "lane-node-1");
        Assert.Equal(["2.000 s  node 1 loses node 2 on path 1 (silent 300.0 ms)", "2.001 s  node 1 loses node 3 on path 1 (silent 300.0 ms)"], Groups(lane, "path-down").Select(Title));
        Assert.Equal("6.000 s  node 1 hears node 2 on path 1 again", Title(Assert.Single(Groups(lane, "path-up"))));

        // Two marks a millisecond apart share one label.
        Assert.Contains(lane.Elements(Svg + "text"), t => t.Value == "\u21932,3/1");
    }

    [Fact]
    public void Width_follows_the_duration_up_to_a_cap_and_height_the_node_count()
    {
        static (double Width, double Height) Size(int nodes, double seconds)
        {
            ScenarioDefinition scenario = Scenario.Create(1).SingleLan(nodes).Lasting(Seconds(seconds)).Build();
            XElement root = XDocument.Parse(SvgTimeline.Render(scenario, new SimulationJournal())).Root!;
            return ((double)root.Attribute("width")!, (double)root.Attribute("height")!);
        }

        (double width20, double height3) = Size(3, 20);
        (double width40, double height12) = Size(12, 40);
        (double widthHour, _) = Size(3, 3600);
        (double widthDay, _) = Size(3, 86_400);

        Assert.True(width40 > width20, $"{width40} <= {width20}");
        Assert.True(height12 > height3, $"{height12} <= {height3}");
        Assert.Equal(widthHour, widthDay);
        Assert.True(widthHour < 2500, $"{widthHour} is not capped.");
    }

    [Fact]
    public void A_journal_of_another_scenario_is_rejected()
    {
        ScenarioDefinition small = Scenario.Create(1).SingleLan(2).Build();

        ArgumentException error = Assert.Throws<ArgumentException>(() => SvgTimeline.Render(small, _run.Journal));

        Assert.Contains("node 3", error.Message, StringComparison.Ordinal);
    }
}
