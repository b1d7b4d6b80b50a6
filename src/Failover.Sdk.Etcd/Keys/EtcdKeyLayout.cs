using System.Globalization;
using Google.Protobuf;

namespace Failover.Sdk.Etcd.Keys;

/// <summary>
/// Where the store keeps things under its prefix: <c>{prefix}owners/{workloadId}</c> and
/// <c>{prefix}members/{nodeId}</c> (decimal). Workload ids are ASCII by their own rule, so a
/// key's bytes and its text are the same.
/// </summary>
internal sealed class EtcdKeyLayout
{
    private const string Owners = "owners/";
    private const string Members = "members/";

    public EtcdKeyLayout(string prefix)
    {
        Prefix = prefix;
        All = ByteString.CopyFromUtf8(prefix);
        AllEnd = RangeEnd(All);
        MembersStart = ByteString.CopyFromUtf8(prefix + Members);
        MembersEnd = RangeEnd(MembersStart);
    }

    public string Prefix { get; }

    /// <summary>The first key of the store's range (the prefix itself).</summary>
    public ByteString All { get; }

    /// <summary>The end (exclusive) of the store's range.</summary>
    public ByteString AllEnd { get; }

    public ByteString MembersStart { get; }

    public ByteString MembersEnd { get; }

    public ByteString OwnerKey(string workloadId) => ByteString.CopyFromUtf8(Prefix + Owners + workloadId);

    public ByteString MemberKey(uint nodeId) => ByteString.CopyFromUtf8(Prefix + Members + nodeId.ToString(CultureInfo.InvariantCulture));

    /// <summary>What <paramref name="key"/> is: an owner (with its workload), a member (with its node), or nothing of ours.</summary>
    public EtcdKey Classify(ByteString key)
    {
        string text = key.ToStringUtf8();
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return EtcdKey.Other(text);
        }

        string rest = text[Prefix.Length..];
        if (rest.StartsWith(Owners, StringComparison.Ordinal))
        {
            return EtcdKey.Owner(text, rest[Owners.Length..]);
        }

        if (rest.StartsWith(Members, StringComparison.Ordinal))
        {
            string node = rest[Members.Length..];
            // Canonical decimal only: "007" or "+7" is not a key this store wrote.
            return uint.TryParse(node, NumberStyles.None, CultureInfo.InvariantCulture, out uint id)
                && id != 0
                && id.ToString(CultureInfo.InvariantCulture) == node
                ? EtcdKey.Member(text, id)
                : EtcdKey.BadMember(text);
        }

        return EtcdKey.Other(text);
    }

    /// <summary>etcd's end of a prefix range: the prefix with its last byte incremented (carrying over 0xFF).</summary>
    internal static ByteString RangeEnd(ByteString prefix)
    {
        byte[] end = prefix.ToByteArray();
        for (int i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xFF)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }

        // All 0xFF (or empty): every key from the prefix on.
        return ByteString.CopyFrom([0]);
    }
}

/// <summary>A key under the store's prefix, classified.</summary>
internal readonly record struct EtcdKey(EtcdKeyKind Kind, string Text, string? WorkloadId, uint NodeId)
{
    public static EtcdKey Owner(string text, string workloadId) => new(EtcdKeyKind.Owner, text, workloadId, 0);

    public static EtcdKey Member(string text, uint nodeId) => new(EtcdKeyKind.Member, text, null, nodeId);

    public static EtcdKey BadMember(string text) => new(EtcdKeyKind.BadMember, text, null, 0);

    public static EtcdKey Other(string text) => new(EtcdKeyKind.Other, text, null, 0);
}

/// <summary>What a key under the prefix is.</summary>
internal enum EtcdKeyKind
{
    Other,
    Owner,
    Member,
    BadMember,
}
