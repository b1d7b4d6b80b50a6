using System.Globalization;
using Failover.Sdk.Coordination;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Etcd.Client;

/// <summary>
/// Runs each request to etcd under a deadline of the request timeout and turns gRPC's
/// failures into the store's: unreachable or too slow is
/// <see cref="CoordinationUnavailableException"/> naming the endpoints, an unknown lease is
/// <see cref="LeaseExpiredException"/>, anything else etcd refuses is a
/// <see cref="CoordinationException"/> with etcd's reason; the caller's own cancellation stays
/// an <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class EtcdCalls(string endpoints, TimeSpan timeout, ILogger logger)
{
    private const string LeaseNotFound = "requested lease not found";

    public string Endpoints => endpoints;

    public TimeSpan Timeout => timeout;

    /// <summary>The absolute UTC deadline gRPC takes, a request timeout from now.</summary>
    // The system clock on purpose: gRPC judges a deadline against the machine's real clock,
    // whatever TimeProvider the host injected (a fake or virtual one would make every call
    // expire at once, or never). The caller's own timeout (StoreCalls) runs on its TimeProvider.
    public DateTime Deadline() => TimeProvider.System.GetUtcNow().UtcDateTime + timeout;

    /// <summary>Runs <paramref name="call"/>; <paramref name="leaseId"/> names the lease an unknown-lease refusal is about.</summary>
    public async Task<T> RunAsync<T>(string what, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken, long? leaseId = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call(new CallOptions(deadline: Deadline(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, what, cancellationToken, leaseId) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The store's exception for <paramref name="error"/>, or null to let it pass (the caller's cancellation, a bug).</summary>
    public Exception? Translate(Exception error, string what, CancellationToken cancellationToken, long? leaseId = null)
    {
        switch (error)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException:
                return Unavailable(what, "Cancelled", error);
            case RpcException rpc when rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled:
                return Unavailable(what, Describe(rpc), rpc);
            case RpcException rpc when rpc.StatusCode == StatusCode.NotFound && leaseId is { } lease && rpc.Status.Detail.Contains(LeaseNotFound, StringComparison.Ordinal):
                return new LeaseExpiredException($"Lease {lease} does not exist in etcd at {endpoints}: it expired or was revoked.", rpc);
            case RpcException rpc:
                EtcdLog.Refused(logger, endpoints, what, Describe(rpc));
                return new CoordinationException($"etcd at {endpoints} refused {what}: {Describe(rpc)}.", rpc);
            default:
                return null;
        }
    }

    public CoordinationUnavailableException Unavailable(string what, string status, Exception? cause = null)
    {
        EtcdLog.Unavailable(logger, endpoints, what, status);
        string message = string.Create(CultureInfo.InvariantCulture, $"etcd at {endpoints} did not answer {what} ({status}; requests time out after {timeout.TotalMilliseconds:F0} ms).");
        return cause is null ? new CoordinationUnavailableException(message) : new CoordinationUnavailableException(message, cause);
    }

    /// <summary>The status, etcd's reason, and the client-side cause (a refused connection, a failed TLS handshake) when there is one.</summary>
    private static string Describe(RpcException rpc)
    {
        string text = string.IsNullOrEmpty(rpc.Status.Detail) ? rpc.StatusCode.ToString() : $"{rpc.StatusCode}: {rpc.Status.Detail}";
        Exception? cause = rpc.Status.DebugException;
        // Bounded: an exception chain is finite, and the depth is capped anyway.
        for (int depth = 0; cause?.InnerException is not null && depth < 8; depth++)
        {
            cause = cause.InnerException;
        }

        string because = cause?.Message.TrimEnd('.') ?? string.Empty;
        return because.Length == 0 || text.Contains(because, StringComparison.Ordinal) ? text : $"{text.TrimEnd('.')}; {because}";
    }
}
