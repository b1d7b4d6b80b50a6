namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// An event drawn on a node's lane, with the full line as its tooltip: what its agent noticed
/// about a peer or a path, or what its coordinator did (a term begun or ended, a lease lost, a
/// write refused by a workload's fenced resource).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="At">When.</param>
/// <param name="Peer">For peer and path marks, the peer.</param>
/// <param name="Path">For path marks, the path.</param>
/// <param name="Title">The tooltip.</param>
/// <param name="Subject">For coordination marks, what the label names: <c>w#9</c> (workload w, token 9), <c>lease 5</c>.</param>
internal sealed record SvgMark(SvgMarkKind Kind, TimeSpan At, uint Peer, ushort? Path, string Title, string? Subject = null)
{
    /// <summary>The mark for <paramref name="entry"/> and the lane's node, or null when the entry draws none here.</summary>
    public static (uint Observer, SvgMark Mark)? For(JournalEntry entry, string title) => entry switch
    {
        PeerSuspected e => (e.Observer, new SvgMark(SvgMarkKind.Suspect, e.At, e.Peer, null, title)),
        PeerTrusted e => (e.Observer, new SvgMark(SvgMarkKind.Trust, e.At, e.Peer, null, title)),
        PeerRestarted e => (e.Observer, new SvgMark(SvgMarkKind.Restart, e.At, e.Peer, null, title)),
        PathSuspected e => (e.Observer, new SvgMark(SvgMarkKind.PathDown, e.At, e.Peer, e.Path, title)),
        PathTrusted e => (e.Observer, new SvgMark(SvgMarkKind.PathUp, e.At, e.Peer, e.Path, title)),
        OwnershipAcquired e => (e.Node, new SvgMark(SvgMarkKind.Owns, e.At, 0, null, title, TimelineText.Invariant($"{e.Workload}#{e.Token}"))),
        OwnershipEnded e => (e.Node, new SvgMark(SvgMarkKind.Disowns, e.At, 0, null, title, TimelineText.Invariant($"{e.Workload}#{e.Token}"))),
        LeaseLost e => (e.Node, new SvgMark(SvgMarkKind.LeaseLost, e.At, 0, null, title, TimelineText.Invariant($"lease {e.LeaseId}"))),
        FencedWriteRefused e => (e.Node, new SvgMark(SvgMarkKind.Refused, e.At, 0, null, title, TimelineText.Invariant($"{e.Workload}#{e.Token}"))),
        _ => null,
    };

    /// <summary>The CSS class naming the kind, as the SVG and its legend use it.</summary>
    public string Class => Kind switch
    {
        SvgMarkKind.Suspect => "suspect",
        SvgMarkKind.Trust => "trust",
        SvgMarkKind.Restart => "restart",
        SvgMarkKind.PathDown => "path-down",
        SvgMarkKind.PathUp => "path-up",
        SvgMarkKind.Owns => "owns",
        SvgMarkKind.Disowns => "disowns",
        SvgMarkKind.LeaseLost => "lease-lost",
        _ => "refused",
    };

    /// <summary>Whether the marker points down (a loss) rather than up (a recovery, a term begun).</summary>
    public bool Down => Kind is SvgMarkKind.Suspect or SvgMarkKind.PathDown or SvgMarkKind.Disowns or SvgMarkKind.LeaseLost or SvgMarkKind.Refused;

    /// <summary>Marks of one family share a label when they fall close together: trusts and restarts both read "↑".</summary>
    public int Family => Kind switch
    {
        SvgMarkKind.Suspect => 0,
        SvgMarkKind.Trust or SvgMarkKind.Restart => 1,
        SvgMarkKind.PathDown => 2,
        SvgMarkKind.PathUp => 3,
        SvgMarkKind.Owns => 4,
        SvgMarkKind.Disowns or SvgMarkKind.LeaseLost => 5,
        _ => 6,
    };

    /// <summary>The label's first character: an arrow, or a cross for a refused write.</summary>
    public string Symbol => Kind == SvgMarkKind.Refused ? "\u00D7" : Down ? "\u2193" : "\u2191";

    /// <summary>What the mark's label says about its target: <c>3</c>, <c>3/1</c> for node 3's path 1, or the subject.</summary>
    public string Target => Subject ?? (Path is { } path ? TimelineText.Invariant($"{Peer}/{path}") : TimelineText.Invariant($"{Peer}"));
}
