namespace Failover.Sdk.Coordination;

/// <summary>What changed in an <see cref="ICoordinationStore"/>.</summary>
public enum CoordinationEventKind
{
    /// <summary>A workload got an owner, or a new one.</summary>
    OwnerSet,

    /// <summary>A workload lost its owner: released, or its lease ended.</summary>
    OwnerRemoved,

    /// <summary>A member joined, or joined again with a new incarnation or lease.</summary>
    MemberJoined,

    /// <summary>A member left: its lease ended.</summary>
    MemberLeft,
}
