using System.Text;

namespace Failover.Sdk.Workloads;

/// <summary>
/// The 32-bit number that names a workload in frames: FNV-1a of its id's bytes, so every
/// node derives the same number from the same catalog without talking. Collisions are
/// refused when the catalog is validated; zero is never used.
/// </summary>
internal static class WorkloadWireIds
{
    public static uint Of(string workloadId)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.ASCII.GetBytes(workloadId))
        {
            hash = (hash ^ b) * 16777619;
        }

        return hash == 0 ? 1 : hash;
    }
}
