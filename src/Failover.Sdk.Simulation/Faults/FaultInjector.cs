using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Network;
using Failover.Sdk.Simulation.Nodes;

namespace Failover.Sdk.Simulation.Faults;

/// <summary>Applies faults and their heals to the simulated nodes and network, journaling each.</summary>
internal sealed class FaultInjector
{
    private readonly IReadOnlyDictionary<uint, SimulatedNode> _nodes;
    private readonly SimulatedNetwork _network;
    private readonly SimulationRecorder _recorder;
    private readonly Dictionary<Partition, Dictionary<uint, int>> _partitions = new(ReferenceEqualityComparer.Instance);

    public FaultInjector(IReadOnlyDictionary<uint, SimulatedNode> nodes, SimulatedNetwork network, SimulationRecorder recorder)
    {
        _nodes = nodes;
        _network = network;
        _recorder = recorder;
    }

    public void Inject(Fault fault)
    {
        _recorder.FaultInjected(fault);
        switch (fault)
        {
            case NodeCrash crash:
                _nodes[crash.Node].CrashOs();
                break;
            case ProcessCrash crash:
                _nodes[crash.Node].KillAgent();
                break;
            case ProcessHang hang:
                _nodes[hang.Node].Hang();
                break;
            case NodePause pause:
                _nodes[pause.Node].Pause();
                break;
            case NicFailure nic:
                _nodes[nic.Node].SetNic(nic.Path, up: false);
                break;
            case SwitchFailure failed:
                _network.Switches[failed.Switch].IsUp = false;
                break;
            case LinkCut cut:
                _network.SetWan(cut.Link, up: false);
                break;
            case Partition partition:
                Dictionary<uint, int> groupOf = [];
                for (int group = 0; group < partition.Groups.Count; group++)
                {
                    foreach (uint node in partition.Groups[group])
                    {
                        groupOf[node] = group;
                    }
                }

                _partitions[partition] = groupOf;
                _network.AddPartition(groupOf);
                break;
            case ClockSkew skew:
                _nodes[skew.Node].Clock.Skew(skew.Offset);
                break;
            case ClockDrift drift:
                _nodes[drift.Node].Clock.SetDrift(drift.PartsPerMillion);
                break;
            default:
                throw new ArgumentException($"Unknown fault {fault.GetType().Name}.", nameof(fault));
        }
    }

    public void Heal(Fault fault)
    {
        _recorder.FaultHealed(fault);
        switch (fault)
        {
            case NodeCrash crash:
                if (!_nodes[crash.Node].IsOsUp)
                {
                    _nodes[crash.Node].BootOs();
                }

                break;
            case ProcessCrash crash:
                _nodes[crash.Node].RestartProcess();
                break;
            case ProcessHang hang:
                _nodes[hang.Node].ResumeProcess();
                break;
            case NodePause pause:
                _nodes[pause.Node].ResumeNode();
                break;
            case NicFailure nic:
                _nodes[nic.Node].SetNic(nic.Path, up: true);
                break;
            case SwitchFailure failed:
                _network.Switches[failed.Switch].IsUp = true;
                break;
            case LinkCut cut:
                _network.SetWan(cut.Link, up: true);
                break;
            case Partition partition:
                if (_partitions.Remove(partition, out Dictionary<uint, int>? groupOf))
                {
                    _network.RemovePartition(groupOf);
                }

                break;
            case ClockSkew skew:
                _nodes[skew.Node].Clock.Skew(-skew.Offset);
                break;
            case ClockDrift drift:
                _nodes[drift.Node].Clock.SetDrift(0);
                break;
            default:
                throw new ArgumentException($"Unknown fault {fault.GetType().Name}.", nameof(fault));
        }
    }
}
