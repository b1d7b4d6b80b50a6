using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Failover.Sdk.Tests.Support;

namespace Failover.Sdk.Tests.Integration;

/// <summary>Two agents as two real OS processes heartbeating over real UDP sockets on loopback.</summary>
/// <remarks>Not run beside other tests: its timing bounds are about a real clock on a 2-core machine.</remarks>
[Collection(RealProcesses.Name)]
public partial class TwoProcessTests
{
    private const int IntervalMs = 100;
    private const int Missed = 3;
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private static string[] Arguments(uint node, int port, uint peer, int peerPort, uint incarnation) =>
    [
        "--node", node.ToString(CultureInfo.InvariantCulture),
        "--transport", "Udp",
        "--listen", $"127.0.0.1:{port}",
        "--peer-id", peer.ToString(CultureInfo.InvariantCulture),
        "--peer", $"127.0.0.1:{peerPort}",
        "--interval", TimeSpan.FromMilliseconds(IntervalMs).ToString("c", CultureInfo.InvariantCulture),
        "--missed", Missed.ToString(CultureInfo.InvariantCulture),
        "--Failover:Incarnation", incarnation.ToString(CultureInfo.InvariantCulture),
    ];

    [Fact]
    public async Task Killing_an_agent_is_reported_by_the_other_within_k_intervals_and_its_restart_as_a_new_incarnation()
    {
        (int portA, int portB) = AgentProcess.TwoFreeUdpPorts();
        using AgentProcess a = AgentProcess.Start(Arguments(1, portA, 2, portB, incarnation: 10));
        AgentProcess b = AgentProcess.Start(Arguments(2, portB, 1, portA, incarnation: 20));
        try
        {
            await a.WaitForLineAsync("peer-up node=2 incarnation=20", StartDeadline);

            long killedAt = Stopwatch.GetTimestamp();
            b.Kill();
            string down = await a.WaitForLineAsync("peer-down node=2", TimeSpan.FromSeconds(10));
            TimeSpan sinceKill = Stopwatch.GetElapsedTime(killedAt);

            // The agent's own measure: silence since the last heartbeat. Never under k
            // intervals (that would be a premature suspicion); above it only by how late a
            // loaded machine wakes the watch loop, bounded generously.
            int silence = int.Parse(SilencePattern().Match(down).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(silence, Missed * IntervalMs, (Missed * IntervalMs) + 1000);

            // Seen from outside: the kill lands after the last heartbeat, so the report comes at
            // most k intervals after it, plus scheduling and pipe latency on a busy machine.
            Assert.True(sinceKill < TimeSpan.FromMilliseconds((Missed * IntervalMs) + 1500), $"reported {sinceKill.TotalMilliseconds:F0} ms after the kill");

            b.Dispose();
            b = AgentProcess.Start(Arguments(2, portB, 1, portA, incarnation: 21));
            string up = await a.WaitForLineAsync("peer-up node=2", StartDeadline);
            Assert.Contains("incarnation=21 previous-incarnation=20", up, StringComparison.Ordinal);
        }
        finally
        {
            b.Dispose();
        }
    }

    [GeneratedRegex(@"silence-ms=(\d+)")]
    private static partial Regex SilencePattern();
}
