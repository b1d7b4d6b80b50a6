namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// Spots the start-up handshake: a pair's first trust, before anything else was said about
/// it. Every pair has one, so they are noise on a timeline of what went wrong. Fed the
/// journal in order.
/// </summary>
internal sealed class FirstContacts
{
    private readonly HashSet<(uint Observer, uint Peer)> _seen = [];

    /// <summary>How many first contacts were seen so far.</summary>
    public int Count { get; private set; }

    /// <summary>When the latest one was.</summary>
    public TimeSpan Last { get; private set; }

    /// <summary>Whether <paramref name="entry"/> is the first trust of its pair; call once per entry, in journal order.</summary>
    public bool IsFirstContact(JournalEntry entry)
    {
        (uint, uint) pair;
        switch (entry)
        {
            case PeerTrusted e:
                pair = (e.Observer, e.Peer);
                break;
            case PeerSuspected e:
                pair = (e.Observer, e.Peer);
                break;
            case PeerRestarted e:
                pair = (e.Observer, e.Peer);
                break;
            default:
                return false;
        }

        if (!_seen.Add(pair) || entry is not PeerTrusted)
        {
            return false;
        }

        Count++;
        Last = entry.At;
        return true;
    }
}
