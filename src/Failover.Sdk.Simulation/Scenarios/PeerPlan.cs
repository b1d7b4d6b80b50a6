using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>Which (peer, path) pairs each node's agent watches, from the scenario's peer selection.</summary>
internal static class PeerPlan
{
    /// <exception cref="ScenarioException">Two nodes that should watch each other share no path.</exception>
    public static Dictionary<uint, (uint Peer, ushort Path)[]> For(ScenarioDefinition definition)
    {
        NodeDefinition[] nodes = [.. definition.Nodes.OrderBy(n => n.Id)];
        var plan = new Dictionary<uint, (uint, ushort)[]>(nodes.Length);
        for (int i = 0; i < nodes.Length; i++)
        {
            var pairs = new List<(uint, ushort)>();
            foreach (int j in PeersOf(i, nodes.Length, definition))
            {
                ushort[] shared = [.. nodes[i].Nics.Select(n => n.PathId).Intersect(nodes[j].Nics.Select(n => n.PathId)).Order()];
                if (shared.Length == 0)
                {
                    throw new ScenarioException($"Nodes {nodes[i].Id} and {nodes[j].Id} should watch each other but share no path (NIC path ids).");
                }

                pairs.AddRange(shared.Select(p => (nodes[j].Id, p)));
            }

            plan[nodes[i].Id] = [.. pairs];
        }

        return plan;
    }

    private static IEnumerable<int> PeersOf(int i, int count, ScenarioDefinition definition)
    {
        if (definition.Peers == PeerSelection.FullMesh)
        {
            return Enumerable.Range(0, count).Where(j => j != i);
        }

        int degree = definition.PeerDegree;
        var peers = new SortedSet<int>();
        for (int step = 1; step <= degree / 2; step++)
        {
            peers.Add((i + step) % count);
            peers.Add((i - step + count) % count);
        }

        if (degree % 2 == 1)
        {
            peers.Add((i + (count / 2)) % count);
        }

        return peers;
    }
}
