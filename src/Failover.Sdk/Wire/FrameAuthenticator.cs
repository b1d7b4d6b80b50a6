using System.Security.Cryptography;

namespace Failover.Sdk.Wire;

/// <summary>
/// Computes and verifies frame authentication tags: HMAC-SHA256 with a shared key,
/// truncated to 16 bytes, compared in constant time (BY-3).
/// </summary>
/// <remarks>Thread-safe: it holds only the key and uses the one-shot HMAC API.</remarks>
public sealed class FrameAuthenticator
{
    /// <summary>The shortest key accepted, in bytes (128 bits).</summary>
    public const int MinimumKeyLength = 16;

    private readonly byte[] _key;

    /// <summary>Creates an authenticator for a shared key of at least <see cref="MinimumKeyLength"/> bytes.</summary>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinimumKeyLength"/>.</exception>
    public FrameAuthenticator(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException(
                $"The frame authentication key must be at least {MinimumKeyLength} bytes; it is {key.Length}.",
                nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>Writes the 16-byte tag of <paramref name="data"/> into <paramref name="tag"/>.</summary>
    internal void ComputeTag(ReadOnlySpan<byte> data, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, data, mac);
        mac[..FrameLayout.TagLength].CopyTo(tag);
    }

    /// <summary>Whether <paramref name="tag"/> is the tag of <paramref name="data"/>, in constant time.</summary>
    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, data, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..FrameLayout.TagLength], tag);
    }
}
