using System.Text;
using Failover.Sdk.Configuration;

namespace Failover.Sdk.Workloads;

/// <summary>The workloads of the cluster as this agent runs them, by id and by wire id.</summary>
internal sealed class WorkloadCatalog
{
    private readonly Dictionary<string, WorkloadDescriptor> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, WorkloadDescriptor> _byWireId = [];

    private WorkloadCatalog(List<WorkloadDescriptor> all)
    {
        All = all;
        foreach (WorkloadDescriptor workload in all)
        {
            _byId[workload.Id] = workload;
            _byWireId[workload.WireId] = workload;
        }
    }

    /// <summary>In declaration order.</summary>
    public IReadOnlyList<WorkloadDescriptor> All { get; }

    public WorkloadDescriptor? Find(string id) => _byId.GetValueOrDefault(id);

    public WorkloadDescriptor? Find(uint wireId) => _byWireId.GetValueOrDefault(wireId);

    /// <summary>Joins the validated options with the code registered for in-process workloads.</summary>
    /// <exception cref="InvalidOperationException">An in-process workload has no code, or two ids share a wire id.</exception>
    public static WorkloadCatalog Build(IEnumerable<FailoverWorkloadOptions> options, IEnumerable<WorkloadCode> code)
    {
        Dictionary<string, WorkloadCode> codeById = code.GroupBy(c => c.WorkloadId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var all = new List<WorkloadDescriptor>();
        var wireIds = new Dictionary<uint, string>();
        foreach (FailoverWorkloadOptions workload in options)
        {
            codeById.TryGetValue(workload.Id, out WorkloadCode? body);
            bool hasCode = workload.Kind switch
            {
                WorkloadKind.Task => body?.TaskBody is not null,
                WorkloadKind.Thread => body?.ThreadBody is not null,
                WorkloadKind.HostedService => body?.HostedServiceFactory is not null,
                _ => true,
            };
            if (!hasCode)
            {
                throw new InvalidOperationException($"Workload '{workload.Id}' is a {workload.Kind} but no code was registered for it; declare it with the matching AddFailover() builder method (AddTaskWorkload, AddThreadWorkload, AddHostedServiceWorkload).");
            }

            var descriptor = new WorkloadDescriptor(workload, Secret(workload))
            {
                TaskBody = body?.TaskBody,
                ThreadBody = body?.ThreadBody,
                HostedServiceFactory = body?.HostedServiceFactory,
            };
            if (wireIds.TryGetValue(descriptor.WireId, out string? other))
            {
                throw new InvalidOperationException($"Workloads '{other}' and '{workload.Id}' have the same wire id {descriptor.WireId}; rename one of them.");
            }

            wireIds[descriptor.WireId] = workload.Id;
            all.Add(descriptor);
        }

        return new WorkloadCatalog(all);
    }

    private static byte[] Secret(FailoverWorkloadOptions workload) =>
        workload.Probe.Secret is { } secret ? Convert.FromBase64String(secret) : Encoding.UTF8.GetBytes(workload.Id);
}
