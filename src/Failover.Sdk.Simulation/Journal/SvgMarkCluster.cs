namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// Marks of one family that fall within a few pixels of each other on a lane: each keeps its
/// own marker and tooltip, but they share one label ("↓3,4") in one row.
/// </summary>
internal sealed record SvgMarkCluster(IReadOnlyList<SvgMark> Marks, string Label, double X, bool LabelBefore, int Row)
{
    /// <summary>
    /// The label's targets, sorted, with runs of three or more as ranges: <c>1-6,8</c>;
    /// <c>2,3/1</c> when every mark is on path 1, <c>2/1,2/2</c> when on several paths; coordination
    /// marks list their subjects: <c>↑report#9</c>.
    /// </summary>
    public static string LabelOf(IReadOnlyList<SvgMark> marks)
    {
        string arrow = marks[0].Symbol;
        if (marks[0].Subject is not null)
        {
            return arrow + string.Join(",", marks.Select(m => m.Target).Distinct());
        }

        ushort?[] paths = [.. marks.Select(m => m.Path).Distinct()];
        if (paths.Length != 1)
        {
            return arrow + string.Join(",", marks.OrderBy(m => m.Peer).ThenBy(m => m.Path).Select(m => m.Target).Distinct());
        }

        uint[] peers = [.. marks.Select(m => m.Peer).Distinct().Order()];
        var parts = new List<string>();
        for (int i = 0; i < peers.Length;)
        {
            int j = i;
            while (j + 1 < peers.Length && peers[j + 1] == peers[j] + 1)
            {
                j++;
            }

            parts.Add(j - i >= 2 ? TimelineText.Invariant($"{peers[i]}-{peers[j]}") : string.Join(",", peers[i..(j + 1)].Select(p => TimelineText.Invariant($"{p}"))));
            i = j + 1;
        }

        return arrow + string.Join(",", parts) + (paths[0] is { } p ? TimelineText.Invariant($"/{p}") : "");
    }
}
