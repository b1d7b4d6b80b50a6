namespace Failover.Sdk.Simulation.Time;

/// <summary>A one-shot simulator event that runs an action: a fault, a heal, a resume.</summary>
internal sealed class ActionEvent(Action action) : VirtualEvent
{
    public override void Fire() => action();
}
