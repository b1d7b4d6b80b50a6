namespace Failover.Sdk.Configuration;

/// <summary>What carries an agent's frames.</summary>
public enum FailoverTransportKind
{
    /// <summary>In one process, through an <see cref="Transports.InMemoryNetwork"/>: tests, demos, the simulator.</summary>
    InMemory,

    /// <summary>UDP datagrams, one socket per path bound to that path's local address.</summary>
    Udp,

    /// <summary>TCP streams framed with System.IO.Pipelines, one listener per path.</summary>
    Tcp,
}
