using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Failover.Sdk.Coordination;

/// <summary>
/// A workload that only one node may run: while this node owns it, it writes to a fenced
/// resource (a TCP service that checks fencing tokens) every 50 ms, checking
/// <see cref="OwnershipTerm.IsValid"/> right before each write. It reports on standard
/// output, one line each: <c>owner {workload} {token}</c>, <c>sent {seq} {reply}</c> and
/// <c>stopped {workload} {token} {reason}</c>, the reason being <c>lease</c> (the lease ran out
/// or is gone), <c>moved</c> (another node owns it), <c>stopping</c> or <c>failed</c>.
/// </summary>
internal sealed class FencedWorkload(FailoverCoordinator coordinator, string workloadId, IPEndPoint? resource, TimeProvider time)
{
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(50);

    public Task RunAsync(CancellationToken stopping) =>
        coordinator.RunAsOwnerAsync(workloadId, term => WhileOwnerAsync(term, stopping), stopping);

    private async Task WhileOwnerAsync(OwnershipTerm term, CancellationToken stopping)
    {
        Say($"owner {term.WorkloadId} {term.FencingToken}");
        string? failure = null;
        try
        {
            if (resource is null)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, term.Ended);
            }
            else
            {
                await WriteUntilEndedAsync(term, resource);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            failure = "failed";
            throw;
        }
        finally
        {
            string reason = failure
                ?? (stopping.IsCancellationRequested ? "stopping"
                : coordinator.LeaseId == term.Ownership.LeaseId ? "moved"
                : "lease");
            Say($"stopped {term.WorkloadId} {term.FencingToken} {reason}");
        }
    }

    private async Task WriteUntilEndedAsync(OwnershipTerm term, IPEndPoint at)
    {
        using var client = new TcpClient(at.AddressFamily);
        await client.ConnectAsync(at, term.Ended);
        using NetworkStream stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
        // Bounded by the term: Ended cancels the delay and the read.
        for (long seq = 1; ; seq++)
        {
            await Task.Delay(WriteInterval, time, term.Ended);
            // Right before the act: after a pause this is false at once, before any timer has run.
            if (!term.IsValid)
            {
                return;
            }

            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"write {coordinator.NodeId} {term.FencingToken} {seq}"));
            string? reply = await reader.ReadLineAsync(term.Ended);
            Say(string.Create(CultureInfo.InvariantCulture, $"sent {seq} {reply ?? "closed"}"));
            if (reply is null)
            {
                throw new IOException("The fenced resource closed the connection.");
            }
        }
    }

    private static void Say(string line) => Console.Out.WriteLine(line);
}
