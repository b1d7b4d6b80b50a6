namespace Failover.Sdk.Simulation.Journal;

/// <summary>A peer or path event drawn on its observer's lane, with the full line as its tooltip.</summary>
internal sealed record SvgMark(SvgMarkKind Kind, TimeSpan At, uint Peer, ushort? Path, string Title)
{
    /// <summary>The mark for <paramref name="entry"/>, or null when the entry draws none here.</summary>
    public static (uint Observer, SvgMark Mark)? For(JournalEntry entry, string title) => entry switch
    {
        PeerSuspected e => (e.Observer, new SvgMark(SvgMarkKind.Suspect, e.At, e.Peer, null, title)),
        PeerTrusted e => (e.Observer, new SvgMark(SvgMarkKind.Trust, e.At, e.Peer, null, title)),
        PeerRestarted e => (e.Observer, new SvgMark(SvgMarkKind.Restart, e.At, e.Peer, null, title)),
        PathSuspected e => (e.Observer, new SvgMark(SvgMarkKind.PathDown, e.At, e.Peer, e.Path, title)),
        PathTrusted e => (e.Observer, new SvgMark(SvgMarkKind.PathUp, e.At, e.Peer, e.Path, title)),
        _ => null,
    };

    /// <summary>The CSS class naming the kind, as the SVG and its legend use it.</summary>
    public string Class => Kind switch
    {
        SvgMarkKind.Suspect => "suspect",
        SvgMarkKind.Trust => "trust",
        SvgMarkKind.Restart => "restart",
        SvgMarkKind.PathDown => "path-down",
        _ => "path-up",
    };

    /// <summary>Whether the marker points down (a loss) rather than up (a recovery).</summary>
    public bool Down => Kind is SvgMarkKind.Suspect or SvgMarkKind.PathDown;

    /// <summary>Marks of one family share a label when they fall close together: trusts and restarts both read "↑".</summary>
    public int Family => Kind switch
    {
        SvgMarkKind.Suspect => 0,
        SvgMarkKind.Trust or SvgMarkKind.Restart => 1,
        SvgMarkKind.PathDown => 2,
        _ => 3,
    };

    /// <summary>What the mark's label says about its target: <c>3</c>, or <c>3/1</c> for node 3's path 1.</summary>
    public string Target => Path is { } path ? TimelineText.Invariant($"{Peer}/{path}") : TimelineText.Invariant($"{Peer}");
}
