using System.Globalization;
using System.Text;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// The words and numbers both timelines print. Times are formatted from whole ticks, not
/// doubles, and always in the invariant culture, so a journal renders to the same bytes on
/// every machine.
/// </summary>
internal static class TimelineText
{
    /// <summary>Seconds with three decimals, rounded to the millisecond: <c>5.201</c>.</summary>
    public static string Seconds(TimeSpan at)
    {
        long ms = RoundedDivide(at.Ticks, TimeSpan.TicksPerMillisecond);
        return string.Create(CultureInfo.InvariantCulture, $"{(ms < 0 ? "-" : "")}{Math.Abs(ms) / 1000}.{Math.Abs(ms) % 1000:D3}");
    }

    /// <summary>A short span: tenths of a millisecond below a second (<c>300.9 ms</c>), milliseconds above (<c>2.500 s</c>).</summary>
    public static string Duration(TimeSpan span)
    {
        if (span.Duration() >= TimeSpan.FromSeconds(1))
        {
            return Seconds(span) + " s";
        }

        long tenths = RoundedDivide(span.Ticks, TimeSpan.TicksPerMillisecond / 10);
        return string.Create(CultureInfo.InvariantCulture, $"{(tenths < 0 ? "-" : "")}{Math.Abs(tenths) / 10}.{Math.Abs(tenths) % 10} ms");
    }

    /// <summary>The event's kind as the text timeline's second column names it, and what happened; null for frame events.</summary>
    public static (TimelineKind Kind, string Text)? Describe(JournalEntry entry) => entry switch
    {
        FaultInjected e => (TimelineKind.Fault, e.Fault.Describe()),
        FaultHealed e => (TimelineKind.Heal, e.Fault.DescribeHeal()),
        NodeStarted e => (TimelineKind.Start, Invariant($"node {e.Node} starts as incarnation {e.Incarnation}")),
        NodeStopped e => (TimelineKind.Stop, Invariant($"node {e.Node} stops (incarnation {e.Incarnation})")),
        PeerSuspected e => (TimelineKind.Suspect, Invariant($"node {e.Observer} suspects node {e.Peer} (silent {Duration(e.Silence)})")),
        PeerTrusted e => (TimelineKind.Trust, Invariant($"node {e.Observer} trusts node {e.Peer} (incarnation {e.Incarnation})")),
        PeerRestarted e => (TimelineKind.Restart, Invariant($"node {e.Observer} sees node {e.Peer} back as incarnation {e.Incarnation}")),
        PathSuspected e => (TimelineKind.PathDown, Invariant($"node {e.Observer} loses node {e.Peer} on path {e.Path} (silent {Duration(e.Silence)})")),
        PathTrusted e => (TimelineKind.PathUp, Invariant($"node {e.Observer} hears node {e.Peer} on path {e.Path} again")),
        OwnershipAcquired e => (TimelineKind.Owns, Invariant($"node {e.Node} owns {e.Workload} (token {e.Token})")),
        OwnershipEnded e => (TimelineKind.Disowns, Invariant($"node {e.Node} no longer owns {e.Workload} (token {e.Token}): {e.Reason}")),
        LeaseLost e => (TimelineKind.LeaseLost, Invariant($"node {e.Node} loses lease {e.LeaseId}: {e.Reason}")),
        FencedWriteRefused e => (TimelineKind.Refused, Invariant($"{e.Workload}'s resource refuses node {e.Node}'s write with token {e.Token} (it has {e.Newest})")),
        _ => null,
    };

    /// <summary>The second column's word for <paramref name="kind"/>; none is longer than nine characters.</summary>
    public static string Word(TimelineKind kind) => kind switch
    {
        TimelineKind.Fault => "fault",
        TimelineKind.Heal => "heal",
        TimelineKind.Start => "start",
        TimelineKind.Stop => "stop",
        TimelineKind.Suspect => "suspect",
        TimelineKind.Trust => "trust",
        TimelineKind.Restart => "restart",
        TimelineKind.PathDown => "path-down",
        TimelineKind.PathUp => "path-up",
        TimelineKind.Owns => "owns",
        TimelineKind.Disowns => "disowns",
        TimelineKind.LeaseLost => "lease",
        TimelineKind.Refused => "fenced",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The one-character mark before the word: ASCII, or the Unicode symbol.</summary>
    public static string Mark(TimelineKind kind, bool unicode) => kind switch
    {
        TimelineKind.Fault => unicode ? "\u2717" : "x",
        TimelineKind.Heal => unicode ? "\u2713" : "+",
        TimelineKind.Start => unicode ? "\u25B8" : ">",
        TimelineKind.Stop => unicode ? "\u25AA" : "#",
        TimelineKind.Suspect => "!",
        TimelineKind.Trust => unicode ? "\u2191" : "^",
        TimelineKind.Restart => unicode ? "\u21BB" : "@",
        TimelineKind.PathDown => unicode ? "\u2193" : "?",
        TimelineKind.PathUp => unicode ? "\u2191" : "^",
        TimelineKind.Owns => unicode ? "\u2605" : "*",
        TimelineKind.Disowns => unicode ? "\u2606" : "-",
        TimelineKind.LeaseLost => "~",
        TimelineKind.Refused => unicode ? "\u2298" : "%",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Formats in the invariant culture, whatever the thread's culture.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Escapes text for XML content and attribute values; characters XML cannot hold at all become U+FFFD.</summary>
    public static string EscapeXml(string text)
    {
        StringBuilder? escaped = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => null,
                _ when char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) => null,
                _ when !IsXmlChar(c) => "\uFFFD",
                _ => null,
            };
            if (replacement is null)
            {
                escaped?.Append(c);
                continue;
            }

            escaped ??= new StringBuilder(text, 0, i, text.Length + 16);
            escaped.Append(replacement);
        }

        return escaped?.ToString() ?? text;
    }

    // XML 1.0 allows tab, LF, CR and everything from space up, except surrogates (handled
    // as pairs above) and U+FFFE/U+FFFF.
    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF');

    private static long RoundedDivide(long value, long divisor) =>
        value >= 0 ? (value + (divisor / 2)) / divisor : -((-value + (divisor / 2)) / divisor);
}
