using System.Globalization;
using System.Net;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Configuration;

/// <summary>
/// Validates <see cref="FailoverOptions"/> when the host starts. Every message names the
/// option by its configuration path and quotes the offending value, which the
/// data-annotation messages of the options validator generator cannot do. Hand-written,
/// it is as reflection-free (and AOT-safe) as the generated one.
/// </summary>
internal sealed class FailoverOptionsValidator : IValidateOptions<FailoverOptions>
{
    internal static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(1);
    internal static readonly TimeSpan MaximumInterval = TimeSpan.FromHours(1);
    internal static readonly TimeSpan MinimumLeaseTimeToLive = TimeSpan.FromMilliseconds(100);
    internal const int MaximumMissedHeartbeats = 1000;
    internal const int MaximumRiseCount = 1000;
    internal const double MaximumPhiThreshold = 100;

    public ValidateOptionsResult Validate(string? name, FailoverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string S = FailoverOptions.SectionName;

        if (options.NodeId == 0)
        {
            failures.Add($"{S}:NodeId is 0; it must be a non-zero node id unique in the cluster.");
        }

        if (options.HeartbeatInterval < MinimumInterval || options.HeartbeatInterval > MaximumInterval)
        {
            failures.Add($"{S}:HeartbeatInterval is {Format(options.HeartbeatInterval)}; it must be between {Format(MinimumInterval)} and {Format(MaximumInterval)}.");
        }

        if (options.MissedHeartbeats is < 1 or > MaximumMissedHeartbeats)
        {
            failures.Add($"{S}:MissedHeartbeats is {Format(options.MissedHeartbeats)}; it must be between 1 and {MaximumMissedHeartbeats}.");
        }

        ValidateDetector(options, failures);

        if (!Enum.IsDefined(options.Transport))
        {
            failures.Add($"{S}:Transport is {Format((int)options.Transport)}; it must be InMemory, Udp or Tcp.");
        }

        if (options.MaxFrameLength is < FrameReaderOptions.LargestFrameLength or > ushort.MaxValue)
        {
            failures.Add($"{S}:MaxFrameLength is {Format(options.MaxFrameLength)}; it must be between {FrameReaderOptions.LargestFrameLength} (the largest frame) and {ushort.MaxValue}.");
        }

        ValidateKey(options, failures);
        ValidateCoordination(options.Coordination, failures);
        bool needsEndPoints = options.Transport is FailoverTransportKind.Udp or FailoverTransportKind.Tcp;
        HashSet<ushort> pathIds = ValidatePaths(options, needsEndPoints, failures);
        ValidatePeers(options, pathIds, needsEndPoints, failures);
        WorkloadOptionsValidator.Validate(options, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateDetector(FailoverOptions options, List<string> failures)
    {
        const string S = FailoverOptions.SectionName;
        if (!Enum.IsDefined(options.Detector))
        {
            failures.Add($"{S}:Detector is {Format((int)options.Detector)}; it must be Fixed or PhiAccrual.");
        }

        // Written so that NaN fails too.
        if (!(options.PhiThreshold > 0 && options.PhiThreshold <= MaximumPhiThreshold))
        {
            failures.Add($"{S}:PhiThreshold is {options.PhiThreshold.ToString(CultureInfo.InvariantCulture)}; it must be above 0 and at most {MaximumPhiThreshold.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.PhiMinStdDeviation is { } deviation && (deviation <= TimeSpan.Zero || deviation > MaximumInterval))
        {
            failures.Add($"{S}:PhiMinStdDeviation is {Format(deviation)}; it must be above zero and at most {Format(MaximumInterval)}, or unset for a tenth of the heartbeat interval.");
        }

        if (options.AcceptableHeartbeatPause < TimeSpan.Zero || options.AcceptableHeartbeatPause > MaximumInterval)
        {
            failures.Add($"{S}:AcceptableHeartbeatPause is {Format(options.AcceptableHeartbeatPause)}; it must be between {Format(TimeSpan.Zero)} and {Format(MaximumInterval)}.");
        }

        if (options.RiseCount is < 1 or > MaximumRiseCount)
        {
            failures.Add($"{S}:RiseCount is {Format(options.RiseCount)}; it must be between 1 and {MaximumRiseCount}.");
        }
    }

    private static void ValidateCoordination(FailoverCoordinationOptions? coordination, List<string> failures)
    {
        const string C = FailoverOptions.SectionName + ":Coordination";
        if (coordination is null)
        {
            failures.Add($"{C} is null; leave it unset for the defaults.");
            return;
        }

        TimeSpan ttl = coordination.LeaseTimeToLive;
        if (ttl < MinimumLeaseTimeToLive || ttl > MaximumInterval)
        {
            failures.Add($"{C}:LeaseTimeToLive is {Format(ttl)}; it must be between {Format(MinimumLeaseTimeToLive)} and {Format(MaximumInterval)}.");
            return; // the rules below are relative to it
        }

        TimeSpan margin = coordination.LeaseSafetyMargin;
        if (margin <= TimeSpan.Zero || margin >= ttl / 2)
        {
            failures.Add($"{C}:LeaseSafetyMargin is {Format(margin)}; it must be above zero and below half of LeaseTimeToLive ({Format(ttl / 2)}).");
        }
        else if (coordination.LeaseRenewInterval is { } renew && (renew < MinimumInterval || renew > (ttl - margin) / 2))
        {
            failures.Add($"{C}:LeaseRenewInterval is {Format(renew)}; it must be between {Format(MinimumInterval)} and half of LeaseTimeToLive - LeaseSafetyMargin ({Format((ttl - margin) / 2)}), so a failed renewal can be retried in time.");
        }

        if (coordination.RequestTimeout < MinimumInterval || coordination.RequestTimeout > MaximumInterval)
        {
            failures.Add($"{C}:RequestTimeout is {Format(coordination.RequestTimeout)}; it must be between {Format(MinimumInterval)} and {Format(MaximumInterval)}.");
        }
    }

    private static void ValidateKey(FailoverOptions options, List<string> failures)
    {
        const string S = FailoverOptions.SectionName;
        if (options.AuthenticationKey is null)
        {
            if (options.RequireAuthentication)
            {
                failures.Add($"{S}:RequireAuthentication is true but {S}:AuthenticationKey is not set.");
            }

            return;
        }

        // The key itself is a secret: the message gives its length, never its value.
        if (!TryDecodeKey(options.AuthenticationKey, out byte[]? key))
        {
            failures.Add($"{S}:AuthenticationKey (a value of {options.AuthenticationKey.Length} characters) is not valid base64.");
        }
        else if (key.Length < FrameAuthenticator.MinimumKeyLength)
        {
            failures.Add($"{S}:AuthenticationKey decodes to {key.Length} bytes; it must be at least {FrameAuthenticator.MinimumKeyLength}.");
        }
    }

    private static HashSet<ushort> ValidatePaths(FailoverOptions options, bool needsEndPoints, List<string> failures)
    {
        const string S = FailoverOptions.SectionName;
        var ids = new HashSet<ushort>();
        if (options.Paths.Count == 0)
        {
            if (needsEndPoints)
            {
                failures.Add($"{S}:Paths is empty; the {options.Transport} transport needs at least one path with a LocalEndPoint.");
            }

            ids.Add(1);
            return ids;
        }

        for (int i = 0; i < options.Paths.Count; i++)
        {
            FailoverPathOptions path = options.Paths[i];
            string at = $"{S}:Paths:{i}";
            if (path.Id == 0)
            {
                failures.Add($"{at}:Id is 0; path ids start at 1.");
            }
            else if (!ids.Add(path.Id))
            {
                failures.Add($"{at}:Id is {path.Id}, which an earlier path already has; path ids must be unique.");
            }

            if (needsEndPoints)
            {
                // Port 0 asks the OS for a free port: useful in tests, useless to peers.
                ValidateEndPoint($"{at}:LocalEndPoint", path.LocalEndPoint, allowAnyPort: true, failures);
            }
        }

        return ids;
    }

    private static void ValidatePeers(FailoverOptions options, HashSet<ushort> pathIds, bool needsEndPoints, List<string> failures)
    {
        const string S = FailoverOptions.SectionName;
        var seen = new HashSet<(uint, ushort)>();
        for (int i = 0; i < options.Peers.Count; i++)
        {
            FailoverPeerOptions peer = options.Peers[i];
            string at = $"{S}:Peers:{i}";
            if (peer.NodeId == 0 || peer.NodeId == options.NodeId)
            {
                failures.Add($"{at}:NodeId is {peer.NodeId}; a peer needs a non-zero id other than this node's ({options.NodeId}).");
            }

            if (!pathIds.Contains(peer.PathId))
            {
                failures.Add($"{at}:PathId is {peer.PathId}, which is not one of this node's paths ({string.Join(", ", pathIds.Order())}).");
            }

            if (!seen.Add((peer.NodeId, peer.PathId)))
            {
                failures.Add($"{at} repeats node {peer.NodeId} on path {peer.PathId}.");
            }

            if (needsEndPoints)
            {
                ValidateEndPoint($"{at}:EndPoint", peer.EndPoint, allowAnyPort: false, failures);
                ValidateSameFamily(options, peer, at, failures);
            }
        }
    }

    /// <summary>A path's socket speaks one address family: an IPv4 peer on an IPv6 path (or back) is unreachable.</summary>
    private static void ValidateSameFamily(FailoverOptions options, FailoverPeerOptions peer, string at, List<string> failures)
    {
        FailoverPathOptions? path = options.Paths.FirstOrDefault(p => p.Id == peer.PathId);
        if (path is not null
            && IPEndPoint.TryParse(path.LocalEndPoint ?? string.Empty, out IPEndPoint? local)
            && IPEndPoint.TryParse(peer.EndPoint ?? string.Empty, out IPEndPoint? remote)
            && local.AddressFamily != remote.AddressFamily)
        {
            failures.Add($"{at}:EndPoint is '{peer.EndPoint}', an {remote.AddressFamily} address, but path {peer.PathId} is bound to '{path.LocalEndPoint}', an {local.AddressFamily} address.");
        }
    }

    private static void ValidateEndPoint(string option, string? value, bool allowAnyPort, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{option} is not set; it must be an address and port such as 127.0.0.1:7001.");
        }
        else if (!IPEndPoint.TryParse(value, out IPEndPoint? endPoint) || (endPoint.Port == 0 && !allowAnyPort))
        {
            failures.Add($"{option} is '{value}'; it must be an IP address and a port from 1 to 65535, such as 127.0.0.1:7001 or [::1]:7001.");
        }
    }

    internal static bool TryDecodeKey(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? key)
    {
        key = new byte[text.Length];
        if (Convert.TryFromBase64String(text, key, out int written))
        {
            key = key[..written];
            return true;
        }

        key = null;
        return false;
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
