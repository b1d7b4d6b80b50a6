namespace Failover.Sdk.Simulation.Journal;

/// <summary>What <see cref="TextTimeline"/> prints, and with which marks.</summary>
public sealed record TextTimelineOptions
{
    /// <summary>Plain ASCII marks, the first contact of each pair folded into the summary, the summary with frame counts.</summary>
    public static TextTimelineOptions Default { get; } = new();

    /// <summary>
    /// Unicode marks (<c>✗ ✓ ↻</c>) instead of ASCII ones (<c>x + @</c>). Off by default: the
    /// timeline goes to logs, CI output and test failure messages, where a console on a legacy
    /// code page prints <c>?</c> for them and some terminals draw them two columns wide; the
    /// word after the mark says the same either way.
    /// </summary>
    public bool Unicode { get; init; }

    /// <summary>
    /// Whether to print the first trust of each (observer, peer) pair: the start-up handshake,
    /// one line per pair, so n·(n−1) lines. Off by default, which counts them in the summary instead.
    /// </summary>
    public bool FirstContacts { get; init; }

    /// <summary>Whether to end with the summary: detection delays and first contacts.</summary>
    public bool Summary { get; init; } = true;

    /// <summary>Whether the summary counts the journal's frames sent, lost (by reason) and delivered.</summary>
    public bool FrameCounts { get; init; } = true;
}
