using System.Globalization;
using System.Text.Json.Serialization;

namespace Failover.Sdk.Simulation.Faults;

/// <summary>
/// Something that goes wrong in a simulation. Each fault has a heal: scheduled with a
/// duration, the simulator heals it when the duration ends.
/// </summary>
/// <remarks>In scenario JSON a fault is an object whose <c>kind</c> names the type: <c>{"kind":"nicFailure","node":2,"path":1}</c>.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NodeCrash), "nodeCrash")]
[JsonDerivedType(typeof(ProcessCrash), "processCrash")]
[JsonDerivedType(typeof(ProcessHang), "processHang")]
[JsonDerivedType(typeof(NodePause), "nodePause")]
[JsonDerivedType(typeof(NicFailure), "nicFailure")]
[JsonDerivedType(typeof(SwitchFailure), "switchFailure")]
[JsonDerivedType(typeof(LinkCut), "linkCut")]
[JsonDerivedType(typeof(Partition), "partition")]
[JsonDerivedType(typeof(ClockSkew), "clockSkew")]
[JsonDerivedType(typeof(ClockDrift), "clockDrift")]
public abstract record Fault
{
    private protected Fault()
    {
    }

    /// <summary>A short human description, as the timeline prints it ("NIC 2/1 fails").</summary>
    public abstract string Describe();

    /// <summary>How the heal reads on the timeline ("NIC 2/1 repaired").</summary>
    public abstract string DescribeHeal();
}

/// <summary>The whole node stops: OS, NICs and agent. Heals by booting it again, as a new incarnation.</summary>
/// <param name="Node">The node.</param>
public sealed record NodeCrash(uint Node) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"node {Node} crashes";

    /// <inheritdoc />
    public override string DescribeHeal() => $"node {Node} boots";
}

/// <summary>The agent process dies; the OS and NICs stay up. Heals by starting the process again, as a new incarnation.</summary>
/// <param name="Node">The node.</param>
public sealed record ProcessCrash(uint Node) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"process on node {Node} crashes";

    /// <inheritdoc />
    public override string DescribeHeal() => $"process on node {Node} restarts";
}

/// <summary>The agent process hangs: alive, but its timers stop and it reads nothing. Heals by resuming it.</summary>
/// <param name="Node">The node.</param>
public sealed record ProcessHang(uint Node) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"process on node {Node} hangs";

    /// <inheritdoc />
    public override string DescribeHeal() => $"process on node {Node} resumes";
}

/// <summary>
/// The whole node stalls (a long GC, a VM frozen by its host): nothing on it runs, frames
/// for it queue in its socket buffers, and its clocks keep going. Heals by resuming it.
/// </summary>
/// <param name="Node">The node.</param>
public sealed record NodePause(uint Node) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"node {Node} pauses";

    /// <inheritdoc />
    public override string DescribeHeal() => $"node {Node} resumes";
}

/// <summary>One NIC stops carrying frames, both ways. Heals by repairing it.</summary>
/// <param name="Node">The node.</param>
/// <param name="Path">The path the NIC carries.</param>
public sealed record NicFailure(uint Node, ushort Path) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"NIC {Node}/{Path} fails";

    /// <inheritdoc />
    public override string DescribeHeal() => $"NIC {Node}/{Path} repaired";
}

/// <summary>A switch fails: every NIC cabled to it goes dark. Heals by repairing it.</summary>
/// <param name="Switch">The switch's name.</param>
public sealed record SwitchFailure(string Switch) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"switch {Switch} fails";

    /// <inheritdoc />
    public override string DescribeHeal() => $"switch {Switch} repaired";
}

/// <summary>A WAN link is cut. Heals by splicing it.</summary>
/// <param name="Link">The WAN link's name.</param>
public sealed record LinkCut(string Link) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"link {Link} cut";

    /// <inheritdoc />
    public override string DescribeHeal() => $"link {Link} restored";
}

/// <summary>
/// Frames between nodes of different groups are dropped; nodes in no group reach everyone.
/// Heals by joining the groups again.
/// </summary>
/// <param name="Groups">Two or more disjoint sets of node ids.</param>
public sealed record Partition(IReadOnlyList<IReadOnlyList<uint>> Groups) : Fault
{
    /// <inheritdoc />
    public override string Describe() => $"partition {Render()}";

    /// <inheritdoc />
    public override string DescribeHeal() => $"partition {Render()} heals";

    private string Render() => string.Join(" | ", Groups.Select(g => "{" + string.Join(",", g) + "}"));
}

/// <summary>The node's wall clock jumps by <paramref name="Offset"/> (EX-3); its monotonic clock does not. Heals by setting it right.</summary>
/// <param name="Node">The node.</param>
/// <param name="Offset">How far the wall clock moves; negative goes back.</param>
public sealed record ClockSkew(uint Node, TimeSpan Offset) : Fault
{
    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"node {Node} clock skews {Offset.TotalMilliseconds:+0.###;-0.###} ms");

    /// <inheritdoc />
    public override string DescribeHeal() => $"node {Node} clock set right";
}

/// <summary>
/// The node's clocks run fast (positive) or slow by <paramref name="PartsPerMillion"/> (EX-3):
/// its timers fire that much early or late. Heals by running at the true rate again.
/// </summary>
/// <param name="Node">The node.</param>
/// <param name="PartsPerMillion">The rate error; between -500,000 and 500,000.</param>
public sealed record ClockDrift(uint Node, double PartsPerMillion) : Fault
{
    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"node {Node} clock drifts {PartsPerMillion:+0.#;-0.#} ppm");

    /// <inheritdoc />
    public override string DescribeHeal() => $"node {Node} clock rate restored";
}
