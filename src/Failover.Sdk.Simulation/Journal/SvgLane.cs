namespace Failover.Sdk.Simulation.Journal;

/// <summary>One horizontal lane of the SVG timeline: a node, or the network at the top.</summary>
internal sealed class SvgLane
{
    public SvgLane(string id, string name, string? kind, uint? node)
    {
        Id = id;
        Name = name;
        Kind = kind;
        Node = node;
    }

    /// <summary>The lane's element id: <c>lane-node-3</c>, <c>lane-network</c>.</summary>
    public string Id { get; }

    /// <summary>The label's first part: <c>node 3</c>.</summary>
    public string Name { get; }

    /// <summary>The label's second part, in parentheses: the node's kind.</summary>
    public string? Kind { get; }

    /// <summary>The node, or null for the network lane.</summary>
    public uint? Node { get; }

    /// <summary>The faults drawn on this lane, each in a row of its own where they would overlap.</summary>
    public List<(FaultSpan Span, int Row)> Faults { get; } = [];

    public int FaultRows { get; set; }

    public List<NodeConditionSpan> Conditions { get; set; } = [];

    public List<SvgMark> Marks { get; } = [];

    public List<SvgMarkCluster> MarkClusters { get; } = [];

    public int MarkRows { get; set; }

    /// <summary>Frames lost on their way to this node, per time bucket; null when none was.</summary>
    public long[]? Losses { get; set; }

    public double Top { get; set; }

    public double Height { get; set; }

    public string Label => Kind is null ? Name : $"{Name} ({Kind})";
}
