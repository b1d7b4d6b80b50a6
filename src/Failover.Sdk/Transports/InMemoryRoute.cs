namespace Failover.Sdk.Transports;

/// <summary>What <see cref="InMemoryNetwork"/> does with a frame.</summary>
internal enum InMemoryRoute
{
    /// <summary>Hand it to the receiving transport.</summary>
    Deliver,

    /// <summary>Lose it silently: the sender or the target is isolated.</summary>
    Dropped,

    /// <summary>Give it to the network's carrier, which delivers it (or not) later.</summary>
    Carry,

    /// <summary>No transport is registered for the target on that path: the send fails.</summary>
    NoRoute,
}
