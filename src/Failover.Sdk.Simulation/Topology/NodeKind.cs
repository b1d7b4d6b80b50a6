namespace Failover.Sdk.Simulation.Topology;

/// <summary>
/// What kind of machine a node is (FS-2). Metadata only: failover treats every kind the
/// same, and the timeline shows it.
/// </summary>
public enum NodeKind
{
    /// <summary>A server (the default).</summary>
    Server,

    /// <summary>A host running other machines or services.</summary>
    Host,

    /// <summary>A compute (CPU) node.</summary>
    Cpu,

    /// <summary>A storage node.</summary>
    Storage,

    /// <summary>A printer node.</summary>
    Printer,

    /// <summary>A file-system node.</summary>
    FileSystem,

    /// <summary>A node of a location-independent file system.</summary>
    LocationIndependentFileSystem,
}
