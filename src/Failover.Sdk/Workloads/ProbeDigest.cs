using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Failover.Sdk.Workloads;

/// <summary>
/// The predefined response to a probe key (FS-4): the first 16 bytes of
/// HMAC-SHA256(secret, workload wire id ‖ key), both big-endian. A fresh key every probe means
/// an old answer can never be replayed, and only code that knows the secret answers right.
/// </summary>
internal static class ProbeDigest
{
    public static UInt128 Compute(ReadOnlySpan<byte> secret, uint wireId, UInt128 key)
    {
        Span<byte> message = stackalloc byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(message, wireId);
        BinaryPrimitives.WriteUInt128BigEndian(message[4..], key);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, message, mac);
        return BinaryPrimitives.ReadUInt128BigEndian(mac);
    }
}
