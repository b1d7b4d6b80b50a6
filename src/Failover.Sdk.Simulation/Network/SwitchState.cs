namespace Failover.Sdk.Simulation.Network;

/// <summary>A switch as the run sees it now.</summary>
internal sealed class SwitchState(string name, int lan)
{
    public string Name { get; } = name;

    /// <summary>The index of its LAN segment.</summary>
    public int Lan { get; } = lan;

    public bool IsUp { get; set; } = true;
}
