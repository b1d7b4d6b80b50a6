using System.Globalization;
using System.Xml.Linq;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Journal;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>Ownership in the journal's three forms: JSON lines, the text timeline (with a summary of the moves) and the SVG (a mark per term begun and ended).</summary>
public sealed class OwnershipTimelineTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Node 2 owns w and pauses past its lease; node 3 takes over; node 2 resumes, its write is refused and its term ends.</summary>
    private static (ScenarioDefinition Scenario, SimulationJournal Journal) Run()
    {
        ScenarioDefinition scenario = ThreeNodes(seed: 81).PauseNode(Preferred, Seconds(3), Seconds(4)).Lasting(Seconds(10)).Build();
        using var simulation = new Simulation(scenario);
        return (scenario, simulation.Run());
    }

    private static string Secs(TimeSpan at) => (Math.Round(at.TotalMilliseconds) / 1000).ToString("0.000", CultureInfo.InvariantCulture);

    [Fact]
    public void Json_lines_name_each_ownership_event()
    {
        (_, SimulationJournal journal) = Run();
        string[] lines = journal.ToJsonLines().Split('\n');

        OwnershipAcquired first = journal.OfType<OwnershipAcquired>().First();
        Assert.Contains($$"""{"event":"ownershipAcquired","at":"{{first.At:c}}","node":2,"workload":"w","token":{{first.Token}}}""", lines);
        Assert.Contains(lines, l => l.Contains("\"event\":\"ownershipEnded\"", StringComparison.Ordinal) && l.Contains("\"reason\":\"lease ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"event\":\"leaseLost\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"event\":\"fencedWriteRefused\"", StringComparison.Ordinal) && l.Contains("\"newest\":", StringComparison.Ordinal));
    }

    [Fact]
    public void The_text_timeline_shows_each_term_and_sums_up_the_moves()
    {
        (_, SimulationJournal journal) = Run();
        OwnershipAcquired[] terms = journal.Acquisitions();
        Assert.Equal([Preferred, Other], terms.Select(t => t.Node));
        FencedWriteRefused refused = Assert.Single(journal.OfType<FencedWriteRefused>());

        string text = TextTimeline.Render(journal);

        Assert.Contains($"  {Secs(terms[0].At)} s  * owns      node 2 owns w (token {terms[0].Token})\n", text, StringComparison.Ordinal);
        Assert.Contains($"  {Secs(refused.At)} s  % fenced    w's resource refuses node 2's write with token {terms[0].Token} (it has {terms[1].Token})\n", text, StringComparison.Ordinal);
        Assert.Contains($" - disowns   node 2 no longer owns w (token {terms[0].Token}): lease ", text, StringComparison.Ordinal);
        Assert.Contains(" ~ lease     node 2 loses lease ", text, StringComparison.Ordinal);
        Assert.Contains("\nownership (each term of each workload, and its fencing token)\n", text, StringComparison.Ordinal);
        Assert.Contains($"  {Secs(terms[0].At)} s  workload w starts on node 2 with token {terms[0].Token}\n", text, StringComparison.Ordinal);
        Assert.Contains($"  {Secs(terms[1].At)} s  workload w moved 2 -> 3 with token {terms[1].Token} (held by 2 since {Secs(terms[0].At)} s; its term ended at {Secs(refused.At)} s: lease ", text, StringComparison.Ordinal);
        Assert.Contains("fenced writes refused: 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\u2605 owns", TextTimeline.Render(journal, new TextTimelineOptions { Unicode = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void The_svg_marks_each_term_on_its_owners_lane_and_explains_the_marks_in_the_legend()
    {
        (ScenarioDefinition scenario, SimulationJournal journal) = Run();
        XDocument svg = XDocument.Parse(SvgTimeline.Render(scenario, journal));

        foreach (OwnershipAcquired term in journal.Acquisitions())
        {
            XElement lane = Lane(svg, $"lane-node-{term.Node}");
            XElement mark = Assert.Single(Marks(lane, "owns"));
            Assert.Equal($"{Secs(term.At)} s  node {term.Node} owns w (token {term.Token})", mark.Element(Svg + "title")!.Value);
            Assert.Contains(lane.Elements(Svg + "text"), t => t.Value == $"\u2191w#{term.Token}");
        }

        XElement node2 = Lane(svg, "lane-node-2");
        Assert.Single(Marks(node2, "disowns"));
        Assert.Single(Marks(node2, "lease-lost"));
        Assert.Single(Marks(node2, "refused"));
        Assert.Contains("owns workload w, fencing token t", svg.Root!.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_coordination_the_svg_legend_is_unchanged()
    {
        var run = new TimelineRun();

        string svg = SvgTimeline.Render(run.Scenario, run.Journal);

        Assert.DoesNotContain("fencing token", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("ownership", TextTimeline.Render(run.Journal), StringComparison.Ordinal);
    }

    private static XElement Lane(XDocument svg, string id) =>
        svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("id") == id);

    private static IEnumerable<XElement> Marks(XElement lane, string kind) =>
        lane.Elements(Svg + "g").Where(g => ((string?)g.Attribute("class") ?? "").Split(' ') is ["mark", var k] && k == kind);
}
