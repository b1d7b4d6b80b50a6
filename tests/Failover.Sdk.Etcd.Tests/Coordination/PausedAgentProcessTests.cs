using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Etcd.Tests.Support;
using Failover.Sdk.Tests.Support;
using Xunit.Abstractions;

namespace Failover.Sdk.Etcd.Tests.Coordination;

/// <summary>
/// The split-brain case fencing exists for, with real processes: an agent that owns a workload
/// is frozen (SIGSTOP) past its lease while it writes to a resource, another agent takes over,
/// and the frozen one is thawed (SIGCONT) still believing, for an instant, that it owns it.
/// </summary>
[Collection(RealTime.Name)]
public sealed class PausedAgentProcessTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private const string Workload = "fenced-report";
    private const int LeaseSeconds = 4;
    private const int MarginMs = 1000;
    private const int RequestTimeoutMs = 1000;
    private const int WritesToSee = 3;
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TakeoverDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WakeDeadline = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task An_agent_paused_past_its_lease_stops_on_waking_before_acting_and_the_resource_refuses_its_stale_token()
    {
        Skip.IfNot(Signals.Supported, "SIGSTOP/SIGCONT numbers are Linux's");
        string url = etcd.Server.ClientUrl;
        string prefix = EtcdFixture.NewPrefix();
        await using var resource = new FencedResource();
        using AgentHostProcess one = AgentHostProcess.Start("node 1", Arguments(1, url, prefix, resource));
        using AgentHostProcess two = AgentHostProcess.Start("node 2", Arguments(2, url, prefix, resource));
        var agents = new Dictionary<uint, AgentHostProcess> { [1] = one, [2] = two };
        AgentHostProcess? frozen = null;
        try
        {
            // 1. One agent owns the workload and the resource takes its writes.
            await Eventually.TrueAsync(() => OwnerLine(one) is not null || OwnerLine(two) is not null, "an agent owns the workload", StartDeadline);
            (uint oldNode, uint newNode) = OwnerLine(one) is not null ? (1u, 2u) : (2u, 1u);
            AgentHostProcess old = agents[oldNode], next = agents[newNode];
            long oldToken = TokenOf(OwnerLine(old)!);
            await Eventually.TrueAsync(() => Accepted(resource, oldNode, oldToken) >= WritesToSee, $"the resource accepts writes from node {oldNode}", TakeoverDeadline);

            // 2. Freeze it, with its lease, its timers and its socket to the resource.
            Signals.Stop(old.Id);
            frozen = old;
            long frozenAt = Stopwatch.GetTimestamp();

            // 3. Its lease expires in etcd (the only way the other agent can acquire: so the freeze
            // has outlasted the lease), and the other agent takes over with a larger token and writes.
            await Eventually.TrueAsync(() => OwnerLine(next) is not null, $"node {newNode} owns the workload; {next.Transcript()}", TakeoverDeadline);
            long newToken = TokenOf(OwnerLine(next)!);
            Assert.True(newToken > oldToken, $"the new owner's token {newToken} is not above the old {oldToken}");
            await Eventually.TrueAsync(() => Accepted(resource, newNode, newToken) >= WritesToSee, $"the resource accepts writes from node {newNode}", TakeoverDeadline);
            TimeSpan frozenFor = Stopwatch.GetElapsedTime(frozenAt);

            // 4. Thaw it: on waking, before it acts as owner again, it finds its term over.
            int writesAtThaw = resource.Writes.Count;
            int linesAtThaw = old.LineCount;
            Signals.Continue(old.Id);
            frozen = null;
            await Eventually.TrueAsync(() => old.FindLine($"stopped {Workload} {oldToken} ", linesAtThaw) is not null, $"node {oldNode} stops its term on waking; {old.Transcript()}", WakeDeadline);
            string stopped = old.FindLine($"stopped {Workload} {oldToken} ", linesAtThaw)!;
            Assert.Equal($"stopped {Workload} {oldToken} lease", stopped);

            // Let the new owner write a few more times, so anything the woken agent still had in
            // flight has reached the resource.
            int newOwnerWrites = Accepted(resource, newNode, newToken);
            await Eventually.TrueAsync(() => Accepted(resource, newNode, newToken) >= newOwnerWrites + WritesToSee, "the new owner keeps writing", TakeoverDeadline);

            // 5. The resource: nothing from the old owner accepted once the new one had written,
            // and whatever the old owner sent after waking was refused.
            IReadOnlyList<FencedResource.Write> writes = resource.Writes;
            int firstNew = writes.First(w => w.Node == newNode && w.Accepted).Index;
            Assert.DoesNotContain(writes, w => w.Node == oldNode && w.Accepted && w.Index > firstNew);
            FencedResource.Write[] afterThaw = [.. writes.Where(w => w.Node == oldNode && w.Index >= writesAtThaw)];
            Assert.All(afterThaw, w => Assert.False(w.Accepted, $"accepted after the thaw: {w.Line}"));

            // Its output after waking: any "sent ... ok" is the late answer to a write the
            // resource took before the freeze, never a new one.
            HashSet<long> acceptedBeforeThaw = [.. writes.Where(w => w.Node == oldNode && w.Accepted && w.Index < writesAtThaw).Select(w => w.Seq)];
            foreach (string line in old.LinesFrom(linesAtThaw).Where(l => l.StartsWith("sent ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal)))
            {
                Assert.Contains(long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture), acceptedBeforeThaw);
            }

            // 6. Had it sent anything stale, the resource would refuse it: replay its last write.
            FencedResource.Write lastOld = writes.Last(w => w.Node == oldNode);
            string reply = await resource.SendAsync(lastOld.Line, TimeSpan.FromSeconds(10));
            Assert.Equal($"refused {newToken}", reply);
            output.WriteLine($"old owner node {oldNode} token {oldToken}, new owner node {newNode} token {newToken}; frozen {frozenFor.TotalMilliseconds:F0} ms; writes from the old owner after the thaw: {afterThaw.Length}, all refused; replayed '{lastOld.Line}' -> '{reply}'");
        }
        finally
        {
            if (frozen is not null)
            {
                Signals.Continue(frozen.Id);
            }
        }
    }

    private static string[] Arguments(uint node, string url, string prefix, FencedResource resource) =>
    [
        "--node", node.ToString(CultureInfo.InvariantCulture),
        "--etcd", url,
        "--etcd-prefix", prefix,
        "--workload", Workload,
        "--lease-ttl", LeaseSeconds.ToString(CultureInfo.InvariantCulture),
        "--lease-margin", MarginMs.ToString(CultureInfo.InvariantCulture),
        "--request-timeout", RequestTimeoutMs.ToString(CultureInfo.InvariantCulture),
        "--fenced-resource", resource.EndPoint.ToString(),
    ];

    private static string? OwnerLine(AgentHostProcess agent) => agent.FindLine($"owner {Workload} ");

    private static long TokenOf(string ownerLine) => long.Parse(ownerLine.Split(' ')[2], CultureInfo.InvariantCulture);

    private static int Accepted(FencedResource resource, uint node, long token) =>
        resource.Writes.Count(w => w.Node == node && w.Token == token && w.Accepted);
}
