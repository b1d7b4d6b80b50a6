namespace Failover.Sdk.Wire;

/// <summary>What a <see cref="FrameReader"/> accepts.</summary>
public sealed class FrameReaderOptions
{
    /// <summary>The largest frame length accepted, header and tag included.</summary>
    /// <remarks>
    /// Checked on the header before anything else is read or buffered. It must be at least
    /// <see cref="LargestFrameLength"/> for every frame type to be readable.
    /// </remarks>
    public int MaxFrameLength { get; init; } = 256;

    /// <summary>Verifies tags when set; see <see cref="RequireAuthentication"/>.</summary>
    public FrameAuthenticator? Authenticator { get; init; }

    /// <summary>Rejects frames without a tag (only meaningful with an <see cref="Authenticator"/>).</summary>
    public bool RequireAuthentication { get; init; }

    /// <summary>How many (sender, path) pairs the replay window tracks; 0 turns replay protection off.</summary>
    public int ReplayWindowCapacity { get; init; } = 4096;

    /// <summary>The largest frame any type makes: a tagged probe reply, 98 bytes.</summary>
    public const int LargestFrameLength = FrameLayout.MaxFrameLength;

    /// <summary>The shortest frame: an untagged heartbeat, 46 bytes.</summary>
    public const int SmallestFrameLength = FrameLayout.HeartbeatLength;
}
