using System.Globalization;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>A broken split-brain rule: when, which rule, which workload, the nodes and tokens involved, and what happened.</summary>
/// <param name="At">When, in virtual time since the start of the run.</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="Workload">The workload.</param>
/// <param name="Nodes">The nodes involved, the one that acted first.</param>
/// <param name="Tokens">Their fencing tokens, in the same order (0 where a node held none).</param>
/// <param name="Detail">What happened, in words.</param>
public sealed record OwnershipViolation(TimeSpan At, OwnershipRule Rule, string Workload, IReadOnlyList<uint> Nodes, IReadOnlyList<long> Tokens, string Detail)
{
    /// <summary>One line: the instant, the rule and the detail.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.TotalSeconds:0.000} s {Rule}: {Detail}");
}
