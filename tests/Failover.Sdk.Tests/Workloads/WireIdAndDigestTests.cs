using System.Security.Cryptography;
using System.Text;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>
/// The wire id (FNV-1a of the id) and the probe's predefined response (FS-4), checked against
/// vectors worked out here from their definitions, and against values computed outside .NET.
/// </summary>
public class WireIdAndDigestTests
{
    /// <summary>32-bit FNV-1a, written from its definition: offset basis 2166136261, prime 16777619, xor then multiply.</summary>
    private static uint Fnv1a(string text)
    {
        uint hash = 0x811C9DC5;
        foreach (char c in text)
        {
            hash ^= (byte)c;
            hash = unchecked(hash * 0x01000193);
        }

        return hash;
    }

    /// <summary>HMAC-SHA256(secret, wireId ‖ key), wire id and key big-endian, cut to its first 16 bytes read big-endian.</summary>
    private static UInt128 Digest(byte[] secret, uint wireId, UInt128 key)
    {
        byte[] message = new byte[20];
        for (int i = 0; i < 4; i++)
        {
            message[i] = (byte)(wireId >> (24 - (8 * i)));
        }

        for (int i = 0; i < 16; i++)
        {
            message[4 + i] = (byte)(key >> (120 - (8 * i)));
        }

        using var hmac = new HMACSHA256(secret);
        byte[] mac = hmac.ComputeHash(message);
        UInt128 result = UInt128.Zero;
        for (int i = 0; i < 16; i++)
        {
            result = (result << 8) | mac[i];
        }

        return result;
    }

    [Theory]
    [InlineData("", 0x811C9DC5u)] // the FNV reference vectors
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("foobar", 0xBF9CF968u)]
    public void Wire_ids_match_the_FNV_1a_reference_vectors(string id, uint expected)
    {
        Assert.Equal(expected, Fnv1a(id));
        Assert.Equal(expected, WorkloadWireIds.Of(id));
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("reports:nightly")]
    [InlineData("a-very_long.workload:id-0123456789-0123456789-0123456789-0123456789")]
    public void Wire_ids_are_FNV_1a_of_the_id(string id)
    {
        Assert.Equal(Fnv1a(id), WorkloadWireIds.Of(id));
    }

    [Fact]
    public void The_id_whose_hash_is_zero_gets_wire_id_one()
    {
        // Found by an exhaustive search outside the SDK; zero on the wire means "no workload".
        Assert.Equal(0u, Fnv1a("abo5.v2"));
        Assert.Equal(1u, WorkloadWireIds.Of("abo5.v2"));
    }

    [Fact]
    public void The_colliding_pair_the_validation_tests_use_does_collide()
    {
        Assert.Equal(0x594F30F6u, Fnv1a("w673879"));
        Assert.Equal(Fnv1a("w673879"), Fnv1a("w1180600"));
        Assert.Equal(WorkloadWireIds.Of("w673879"), WorkloadWireIds.Of("w1180600"));
    }

    [Fact]
    public void The_digest_matches_a_vector_computed_outside_dotnet()
    {
        // Python: hmac.new(b"0123456789abcdef", bytes([1,2,3,4]) + bytes(range(16)), sha256).hexdigest()[:32]
        UInt128 key = new(0x0001020304050607, 0x08090A0B0C0D0E0F);
        UInt128 expected = new(0x0A4EC1447E619950, 0xFDC55B29D5CFD1AE);
        Assert.Equal(expected, ProbeDigest.Compute(Encoding.ASCII.GetBytes("0123456789abcdef"), 0x01020304, key));
    }

    [Fact]
    public void The_default_secret_digest_matches_a_vector_computed_outside_dotnet()
    {
        // The catalog's default secret is the id itself; "alpha" has wire id 0x5d8b6dab.
        UInt128 key = new(0xDEADBEEF01234567, 0x89ABCDEF00000042);
        Assert.Equal(0x5D8B6DABu, WorkloadWireIds.Of("alpha"));
        Assert.Equal(new UInt128(0xF0397FF176DAF227, 0x377C4783C4F0324F), ProbeDigest.Compute(Encoding.UTF8.GetBytes("alpha"), 0x5D8B6DAB, key));
    }

    [Theory]
    [InlineData("alpha", "secret of sixteen", 0ul, 1ul)]
    [InlineData("beta", "another secret value", ulong.MaxValue, ulong.MaxValue)]
    [InlineData("gamma:1", "x", 0x8000000000000000ul, 0ul)]
    public void The_digest_is_the_truncated_HMAC_of_wire_id_and_key(string id, string secret, ulong upper, ulong lower)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(secret);
        uint wireId = Fnv1a(id);
        var key = new UInt128(upper, lower);
        Assert.Equal(Digest(bytes, wireId, key), ProbeDigest.Compute(bytes, wireId, key));
    }

    [Fact]
    public void Another_key_secret_or_workload_gives_another_answer()
    {
        byte[] secret = Encoding.UTF8.GetBytes("shared");
        UInt128 answer = ProbeDigest.Compute(secret, 7, UInt128.One);
        Assert.NotEqual(answer, ProbeDigest.Compute(secret, 7, new UInt128(0, 2)));
        Assert.NotEqual(answer, ProbeDigest.Compute(secret, 8, UInt128.One));
        Assert.NotEqual(answer, ProbeDigest.Compute(Encoding.UTF8.GetBytes("Shared"), 7, UInt128.One));
    }
}
