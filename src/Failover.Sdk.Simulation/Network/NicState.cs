namespace Failover.Sdk.Simulation.Network;

/// <summary>A NIC as the run sees it now.</summary>
internal sealed class NicState(ushort pathId, SwitchState attachedTo)
{
    public ushort PathId { get; } = pathId;

    public SwitchState Switch { get; } = attachedTo;

    public bool IsUp { get; set; } = true;
}
